// Live preview of one message as a chosen contact will get it: the engine renders it (templates.preview)
// with the contact's data and its business's footer. A missing variable comes back as a VALIDATION error
// for `subject` or `html`; the editor shows it next to that field, the pane says what to fix.
import { useEffect, useState, type JSX } from 'react'
import type { TemplatePreview as Rendered } from '../../../../shared/automation'
import type { Contact } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { displayName } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc, RpcError } from '../../rpc'

export interface PreviewError {
  field: 'subject' | 'html'
  message: string
}

interface Props {
  /** Which message this is ("Action 2"), for the heading. */
  label: string
  subject: string
  html: string
  objectId: number | null
  onError: (error: PreviewError | null) => void
}

export type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; preview: Rendered } | { kind: 'invalid'; message: string } | { kind: 'failed'; message: string }

export function TemplatePreview({ label, subject, html, objectId, onError }: Props): JSX.Element {
  const contacts = useQuery('contacts.list', { objectId: objectId ?? undefined, limit: 100, sort: { field: 'name', dir: 'asc' } }, { events: ['contacts.changed'], delayMs: 1000, keepPrevious: false })
  const items = contacts.data?.items.filter((c) => c.email) ?? []
  const [contactId, setContactId] = useState<number | null>(null)
  const contact: Contact | undefined = items.find((c) => c.id === contactId) ?? items[0]
  const [state, setState] = useState<State>({ kind: 'idle' })

  useEffect(() => {
    if (!contact) return
    if (!subject.trim() && !html.trim()) {
      setState({ kind: 'idle' })
      onError(null)
      return
    }
    let live = true
    setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }))
    const t = setTimeout(() => {
      rpc('templates.preview', { subject, html, contactId: contact.id }).then(
        (preview) => {
          if (!live) return
          setState({ kind: 'ok', preview })
          onError(null)
        },
        (err) => {
          if (!live) return
          if (err instanceof RpcError && err.code === 'VALIDATION' && (err.field === 'subject' || err.field === 'html')) {
            setState({ kind: 'invalid', message: err.message })
            onError({ field: err.field, message: err.message })
          } else {
            setState({ kind: 'failed', message: messageOf(err) })
            onError(null)
          }
        },
      )
    }, 350)
    return () => {
      live = false
      clearTimeout(t)
    }
    // onError is a setter from the editor; it does not change what is rendered.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [subject, html, contact?.id])

  return (
    <section className="card preview-card" aria-labelledby="preview-head">
      <div className="card-header preview-header">
        <div>
          <h3 id="preview-head">Preview</h3>
          <p className="card-help">{label}, as the contact will get it</p>
        </div>
        {state.kind === 'loading' && <span className="spinner" aria-label="Rendering" />}
      </div>
      <div className="card-body preview-body">
        {contacts.data && items.length === 0 ? (
          <div className="preview-note">
            <Icon name="user" size={18} />
            <span>Add a contact with an email address{objectId ? ' to this business' : ''} to preview with real data.</span>
          </div>
        ) : (
          <PreviewAs items={items} value={contact?.id ?? null} onChange={setContactId} />
        )}
        {contact && <PreviewBody state={state} to={`${displayName(contact)} <${contact.email}>`} />}
      </div>
    </section>
  )
}

export function PreviewBody({ state, to }: { state: State; to: string }): JSX.Element {
  if (state.kind === 'idle') return <p className="preview-placeholder">Write a subject and a message to see them here.</p>
  if (state.kind === 'invalid')
    return (
      <div className="preview-invalid" role="status">
        <Icon name="alert" size={18} />
        <div>
          <strong>This template can’t be sent yet</strong>
          <span>{state.message}</span>
        </div>
      </div>
    )
  if (state.kind === 'failed')
    return (
      <div className="preview-invalid" role="status">
        <Icon name="alert" size={18} />
        <div>
          <strong>No preview</strong>
          <span>{state.message}</span>
        </div>
      </div>
    )
  if (state.kind === 'loading') return <div className="preview-skeleton" aria-busy="true" />
  const { preview } = state
  const unsubscribe = preview.headers['List-Unsubscribe']
  return (
    <div className="preview-mail" aria-label="Rendered message">
      <dl className="preview-headers">
        <dt>To</dt>
        <dd>{to}</dd>
        <dt>Subject</dt>
        <dd className="preview-subject">{preview.subject}</dd>
      </dl>
      <iframe className="preview-frame" title="Message preview" sandbox="" srcDoc={frameDoc(preview.html)} />
      {unsubscribe && (
        <p className="preview-foot">
          <Icon name="check" size={13} /> One-click unsubscribe header included
        </p>
      )}
    </div>
  )
}

/** The rendered HTML in a sandboxed frame (no scripts), in the app's type so it reads like mail. */
const frameDoc = (html: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:14px 16px;font:14px/1.5 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Arial,sans-serif;color:#1a1a1f}p{margin:0 0 10px}a{color:#5b5bd6}</style></head><body>${html}</body></html>`

/** "Preview as": which of the business's contacts a preview renders for. */
export function PreviewAs({ items, value, onChange }: { items: Contact[]; value: number | null; onChange: (id: number) => void }): JSX.Element {
  return (
    <label className="preview-as">
      <span>Preview as</span>
      <select className="input select select-compact" value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))} aria-label="Preview as">
        {items.map((c) => (
          <option key={c.id} value={c.id}>
            {displayName(c)} · {c.email}
          </option>
        ))}
      </select>
    </label>
  )
}
