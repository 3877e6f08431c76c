// Live preview of a library template (saved version or unsaved edits) for a sample contact, with sample
// values for the template's own variables: the engine renders it (templates.render) exactly as it would be sent.
import { useEffect, useState, type JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { displayName } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc, RpcError } from '../../rpc'
import { PreviewAs, PreviewBody, type State } from '../automation/TemplatePreview'
import { Card } from '../../components/Card'

type Content = { templateId: number; version?: number } | { subject: string; html: string; variables: string[]; text?: string }

interface Props {
  objectId: number | null
  content: Content
  /** The template's declared variables: each gets a sample value field. */
  variables: string[]
  label: string
}

export function LibraryPreview({ objectId, content, variables, label }: Props): JSX.Element {
  const contacts = useQuery('contacts.list', { objectId: objectId ?? undefined, limit: 100, sort: { field: 'name', dir: 'asc' } }, { events: ['contacts.changed'], delayMs: 1000, enabled: objectId !== null, keepPrevious: false })
  const items = contacts.data?.items.filter((c) => c.email) ?? []
  const [contactId, setContactId] = useState<number | null>(null)
  const contact: Contact | undefined = items.find((c) => c.id === contactId) ?? items[0]
  const [samples, setSamples] = useState<Record<string, string>>({})
  const values = Object.fromEntries(variables.map((v) => [v, samples[v] ?? `[${v}]`]))
  const [state, setState] = useState<State>({ kind: 'idle' })
  const key = JSON.stringify([content, values, contact?.id])

  useEffect(() => {
    if (!contact) return
    if ('html' in content && !content.subject.trim() && !content.html.trim()) return setState({ kind: 'idle' })
    let live = true
    setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }))
    const t = setTimeout(() => {
      rpc('templates.render', { ...content, contactId: contact.id, values }).then(
        (preview) => live && setState({ kind: 'ok', preview }),
        (err) => {
          if (!live) return
          setState(err instanceof RpcError && err.code === 'VALIDATION' ? { kind: 'invalid', message: err.message } : { kind: 'failed', message: messageOf(err) })
        },
      )
    }, 350)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [key]) // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <Card
      id="tpl-preview-head"
      title="Preview"
      help={`${label}, as the contact will get it`}
      className="preview-card"
      headerClassName="preview-header"
      actions={state.kind === 'loading' && <span className="spinner" aria-label="Rendering" />}
    >
      <div className="card-body preview-body">
        {objectId === null ? (
          <div className="preview-note">
            <Icon name="building" size={18} />
            <span>Pick the business to preview with one of its contacts.</span>
          </div>
        ) : contacts.data && items.length === 0 ? (
          <div className="preview-note">
            <Icon name="user" size={18} />
            <span>Add a contact with an email address to this business to preview with real data.</span>
          </div>
        ) : (
          <PreviewAs items={items} value={contact?.id ?? null} onChange={setContactId} />
        )}
        {variables.length > 0 && (
          <div className="tpl-samples" role="group" aria-label="Sample values">
            {variables.map((v) => (
              <label key={v} className="tpl-sample">
                <code>{v}</code>
                <input className="input input-compact" aria-label={`Sample ${v}`} value={values[v]} onChange={(e) => setSamples((s) => ({ ...s, [v]: e.target.value }))} />
              </label>
            ))}
          </div>
        )}
        {contact && <PreviewBody state={state} to={`${displayName(contact)} <${contact.email}>`} />}
      </div>
    </Card>
  )
}
