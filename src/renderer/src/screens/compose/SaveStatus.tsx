import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { useApp } from '../../store'
import type { SaveState } from './useDraftAutosave'

/** Where the draft stands. Drafts live in the local engine, so they save fine without a network; we say
 * so, since "Offline" alone would suggest the work is at risk. */
export function SaveStatus({ state, error }: { state: SaveState; error: string | null }): JSX.Element {
  const offline = useApp((s) => s.connection === 'closed' || s.net?.online === false)
  let content: JSX.Element | null = null
  if (state === 'pending' || state === 'saving')
    content = (
      <>
        <span className="spinner" aria-hidden="true" /> Saving…
      </>
    )
  else if (state === 'local' || (state === 'saved' && offline))
    content = (
      <>
        <Icon name="cloudCheck" size={15} /> Offline – saved locally
      </>
    )
  else if (state === 'saved')
    content = (
      <>
        <Icon name="check" size={15} /> Saved
      </>
    )
  else if (state === 'error')
    content = (
      <span className="compose-status-error" title={error ?? undefined}>
        <Icon name="alert" size={15} /> Not saved{error ? `: ${error}` : ''}
      </span>
    )
  return (
    <span className={`compose-status is-${state}`} role="status">
      {content}
    </span>
  )
}
