// "Compose": a new, empty message (the sidebar, and the empty drafts and outbox).
import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { openCompose } from './composeState'

export function ComposeButton({ className }: { className?: string }): JSX.Element {
  return (
    <button type="button" className={`btn btn-primary${className ? ` ${className}` : ''}`} onClick={() => openCompose()}>
      <Icon name="compose" /> Compose
    </button>
  )
}
