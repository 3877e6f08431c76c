// A send-text step (issue 17 item 7): SMS or WhatsApp, the message with the same variables as email
// (inserted at the cursor), the GSM-7/UCS-2 segment counter of the texts composer (shared/textSegments),
// WhatsApp's approved template for contacts outside the 24-hour window, and a live preview for a real
// contact rendered by the engine (flows.previewText), so a missing variable shows before the flow runs.
import { useEffect, useRef, useState, type JSX } from 'react'
import { segmentLabel, textSegments } from '../../../../shared/textSegments'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { displayName } from '../../lib/format'
import { messageOf } from '../../lib/errors'
import { useQuery } from '../../lib/useQuery'
import { rpc, RpcError } from '../../rpc'
import type { Config } from './flowGraph'
import { Row } from './PanelRow'
import '../../styles/flowText.css'

/** The variables a text is likely to use (a text has no sender mailbox or unsubscribe link). */
const TEXT_VARIABLES: Array<{ name: string; label: string }> = [
  { name: 'contact.first_name', label: 'First name' },
  { name: 'contact.last_name', label: 'Last name' },
  { name: 'contact.company', label: 'Company' },
  { name: 'object.name', label: 'Business' },
]

type Template = { contentSid: string; variables: Record<string, string> }
type Preview = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ok'; body: string } | { kind: 'invalid'; message: string }

export function TextNodeFields({ nodeId, config, objectId, set, patch }: { nodeId: string; config: Config; objectId: number; set: (field: string, value: unknown) => void; patch: (p: Config, field: string) => void }): JSX.Element {
  const channel = config.channel === 'whatsapp' ? 'whatsapp' : 'sms'
  const body = typeof config.body === 'string' ? config.body : ''
  const template = config.template as Template | undefined
  const area = useRef<HTMLTextAreaElement>(null)
  const [preview, setPreview] = usePreview(objectId, body)

  const insert = (token: string) => {
    const el = area.current
    const start = el?.selectionStart ?? body.length
    const end = el?.selectionEnd ?? start
    set('body', body.slice(0, start) + token + body.slice(end))
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(start + token.length, start + token.length)
    })
  }
  // What the contact gets decides the segments; until it is rendered, the message as written.
  const seg = textSegments(preview.state.kind === 'ok' ? preview.state.body : body)
  const setTemplate = (t: Template | undefined) => patch({ template: t }, 'template')
  const values = template ? Object.keys(template.variables).sort((a, b) => Number(a) - Number(b)).map((k) => template.variables[k]!) : []

  return (
    <>
      <div className="flow-field">
        <span className="label-text">Channel</span>
        <Segmented
          label="Channel"
          value={channel}
          options={[
            { value: 'sms', label: 'SMS' },
            { value: 'whatsapp', label: 'WhatsApp' },
          ]}
          onChange={(v) => (v === 'sms' ? patch({ channel: v, template: undefined }, 'channel') : set('channel', v))}
        />
      </div>
      <Row label="Message" hint={channel === 'whatsapp' ? 'Sent as written to contacts who wrote to you on WhatsApp in the last 24 hours.' : 'Contacts who replied STOP, or have no phone number, are skipped and go on.'}>
        <textarea
          ref={area}
          className="input textarea flow-text-body"
          rows={4}
          value={body}
          placeholder="Hi {{contact.first_name}}, …"
          aria-invalid={preview.state.kind === 'invalid' || undefined}
          onChange={(e) => set('body', e.target.value)}
        />
      </Row>
      <div className="flow-text-vars" role="group" aria-label={`Insert a variable into ${nodeId}`}>
        {TEXT_VARIABLES.map((v) => (
          <button key={v.name} type="button" className="flow-text-var" onClick={() => insert(`{{${v.name}}}`)} title={`Insert {{${v.name}}}`}>
            <Icon name="braces" size={12} /> {v.label}
          </button>
        ))}
      </div>
      <p className="flow-text-counter" aria-live="polite" data-testid="segment-counter">
        {body.trim() ? segmentLabel(seg) : 'No message yet'}
        {body.trim() && seg.unicodeChars.length > 0 && <span className="flow-text-why"> · {seg.unicodeChars.slice(0, 3).map((c) => `“${c}”`).join(' ')} {seg.unicodeChars.length === 1 ? 'makes' : 'make'} it Unicode</span>}
      </p>
      {channel === 'whatsapp' && (
        <div className="flow-text-template">
          <p className="flow-text-note">
            <Icon name="clock" size={13} /> Outside the 24-hour window WhatsApp takes only an approved template. Without one, those contacts are not sent this step (recorded as failed) and go on.
          </p>
          <Row label="Approved template (ContentSid)">
            <input
              className="input mono-text"
              placeholder="HX…"
              value={template?.contentSid ?? ''}
              onChange={(e) => setTemplate(e.target.value.trim() || values.length ? { contentSid: e.target.value.trim(), variables: template?.variables ?? {} } : undefined)}
            />
          </Row>
          {template && (
            <Row label="Its values, one per line ({{1}}, {{2}} …)" hint="Variables work here too, e.g. {{contact.first_name}}.">
              <textarea
                className="input textarea"
                rows={2}
                value={values.join('\n')}
                onChange={(e) => setTemplate({ contentSid: template.contentSid, variables: Object.fromEntries(e.target.value.split('\n').map((v, i) => [String(i + 1), v]).filter(([, v]) => v !== '')) })}
              />
            </Row>
          )}
        </div>
      )}
      <TextPreview channel={channel} preview={preview} onContact={setPreview} />
    </>
  )
}

interface PreviewApi {
  state: Preview
  contacts: Array<{ id: number; name: string; phone: string }> | null
  contactId: number | null
}

/** The message rendered by the engine for a chosen contact with a phone (350 ms after typing stops). */
function usePreview(objectId: number, body: string): [PreviewApi, (id: number) => void] {
  const list = useQuery('contacts.list', { objectId, limit: 100, sort: { field: 'name', dir: 'asc' } }, { events: ['contacts.changed'], delayMs: 1000, keepPrevious: false })
  const contacts = list.data ? list.data.items.filter((c) => c.phone).map((c) => ({ id: c.id, name: displayName(c), phone: c.phone })) : null
  const [chosen, setChosen] = useState<number | null>(null)
  const contact = contacts?.find((c) => c.id === chosen) ?? contacts?.[0]
  const [state, setState] = useState<Preview>({ kind: 'idle' })
  useEffect(() => {
    if (!contact || !body.trim()) return setState({ kind: 'idle' })
    let live = true
    setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }))
    const t = setTimeout(() => {
      rpc('flows.previewText', { objectId, contactId: contact.id, body }).then(
        (r) => live && setState({ kind: 'ok', body: r.body }),
        (err) => live && setState({ kind: 'invalid', message: err instanceof RpcError && err.code === 'VALIDATION' ? err.message : messageOf(err) }),
      )
    }, 350)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [objectId, body, contact?.id])
  return [{ state, contacts, contactId: contact?.id ?? null }, setChosen]
}

function TextPreview({ channel, preview, onContact }: { channel: 'sms' | 'whatsapp'; preview: PreviewApi; onContact: (id: number) => void }): JSX.Element {
  const { state, contacts, contactId } = preview
  const contact = contacts?.find((c) => c.id === contactId)
  return (
    <section className="flow-text-preview" aria-label="Text preview">
      <div className="flow-text-preview-head">
        <strong>Preview</strong>
        {contacts && contacts.length > 0 && (
          <select className="input select select-compact" aria-label="Preview as" value={contactId ?? ''} onChange={(e) => onContact(Number(e.target.value))}>
            {contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} · {c.phone}
              </option>
            ))}
          </select>
        )}
      </div>
      {contacts && contacts.length === 0 ? (
        <p className="flow-text-placeholder">Add a contact with a phone number to this business to preview with real data.</p>
      ) : state.kind === 'invalid' ? (
        <p className="flow-text-invalid" role="status">
          <Icon name="alert" size={14} /> {state.message}
        </p>
      ) : state.kind === 'ok' ? (
        <div className={`flow-text-phone is-${channel}`}>
          <span className="flow-text-to">
            {channel === 'whatsapp' ? 'WhatsApp' : 'SMS'} to {contact?.phone}
          </span>
          <p className="flow-text-bubble">{state.body}</p>
        </div>
      ) : (
        <p className="flow-text-placeholder">{state.kind === 'loading' ? 'Rendering…' : 'Write a message to see it here.'}</p>
      )}
    </section>
  )
}
