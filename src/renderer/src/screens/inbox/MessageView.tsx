// One message in the reading pane: collapsed to a line (sender, snippet, time) or open with its header,
// the remote-images bar, the body and its attachments.
import { useEffect, useState, type JSX } from 'react'
import type { Attachment, MessageDetail, MessageSummary } from '../../../../shared/inbox'
import { Avatar } from '../../components/Avatar'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { addressLabel, fileSize, fullTime, headTime, listTime } from '../../lib/inbox'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import { MessageBody } from './MessageBody'
import { AttachmentInfo } from '../../components/AttachmentInfo'
import { AlertLine } from '../../components/Field'

export type ReplyMode = 'reply' | 'replyAll' | 'forward'

interface Props {
  summary: MessageSummary
  open: boolean
  onToggle: () => void
  onReply: (mode: ReplyMode, detail: MessageDetail) => void
  /** Reports the loaded detail (the pane replies to the latest one). */
  onDetail?: (detail: MessageDetail) => void
  now: number
}

export function MessageView({ summary: m, open, onToggle, onReply, onDetail, now }: Props): JSX.Element {
  const [detail, setDetail] = useState<MessageDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!open || detail) return
    rpc('messages.get', { id: m.id }).then(
      (d) => (setDetail(d), onDetail?.(d)),
      (err) => setError(messageOf(err)),
    )
  }, [open, m.id])

  const who = addressLabel(m.from)
  if (!open)
    return (
      <article className="message is-collapsed" aria-label={`Message from ${who}`}>
        <button type="button" className="message-collapsed" onClick={onToggle}>
          <Avatar name={who} size={28} />
          <span className="message-from">{who}</span>
          <span className="message-collapsed-snippet">{m.snippet}</span>
          <time dateTime={m.date}>{listTime(m.date, now)}</time>
        </button>
      </article>
    )

  const recipients = [...m.to, ...m.cc].map(addressLabel).join(', ')
  return (
    <article className={`message${m.direction === 'out' ? ' is-outbound' : ''}`} aria-label={`Message from ${who}`}>
      <header className="message-head">
        <Avatar name={who} size={36} />
        <button type="button" className="message-head-main" onClick={onToggle} title="Collapse">
          <span className="message-from-line">
            <span className="message-from">{who}</span>
            {m.from && m.from.name && <span className="message-address">&lt;{m.from.email}&gt;</span>}
          </span>
          <span className="message-to">to {recipients || 'undisclosed recipients'}</span>
        </button>
        <div className="message-head-side">
          {m.hasAttachments && <Icon name="paperclip" size={14} />}
          <time dateTime={m.date} title={fullTime(m.date)}>
            {headTime(m.date, now)}
          </time>
          {detail && (
            <div className="message-tools">
              <button type="button" className="icon-button" aria-label="Reply" title="Reply (r)" onClick={() => onReply('reply', detail)}>
                <Icon name="reply" />
              </button>
              <button type="button" className="icon-button" aria-label="Forward" title="Forward (f)" onClick={() => onReply('forward', detail)}>
                <Icon name="forward" />
              </button>
            </div>
          )}
        </div>
      </header>
      <AlertLine message={error} />
      {!detail && !error && (
        <div className="message-loading" aria-busy="true">
          <span className="spinner" /> Loading message…
        </div>
      )}
      {detail && (
        <>
          {detail.parseError && (
            <p className="message-note">
              <Icon name="alert" size={14} /> This message could not be fully read ({detail.parseError}); its raw source is shown.
            </p>
          )}
          {detail.remoteImagesBlocked && !detail.remoteImagesAllowed && <RemoteImagesBar detail={detail} onChange={setDetail} />}
          <div className="message-body">
            <MessageBody detail={detail} />
          </div>
          <Attachments items={detail.attachments.filter((a) => !a.inline || !a.contentId)} />
        </>
      )}
    </article>
  )
}

function RemoteImagesBar({ detail, onChange }: { detail: MessageDetail; onChange: (d: MessageDetail) => void }): JSX.Element {
  const [busy, setBusy] = useState(false)
  const allow = (scope: 'message' | 'sender') => {
    setBusy(true)
    rpc('messages.allowRemoteImages', { id: detail.id, scope }).then(
      (d) => {
        onChange(d)
        if (scope === 'sender') toastOk(`Images from ${detail.from?.email ?? 'this sender'} will always show`)
      },
      (err) => (setBusy(false), toastError(err)),
    )
  }
  return (
    <div className="images-bar" role="note">
      <Icon name="eyeOff" size={15} />
      <span className="images-bar-text">Remote images are blocked</span>
      <span className="images-bar-actions">
        <button type="button" className="link-button" disabled={busy} onClick={() => allow('message')}>
          Show for this message
        </button>
        {detail.from && (
          <button type="button" className="link-button" disabled={busy} title={`Always show images from ${detail.from.email}`} onClick={() => allow('sender')}>
            Always for this sender
          </button>
        )}
      </span>
    </div>
  )
}

/** Attachments are only ever saved (a download), never opened by the app. */
function Attachments({ items }: { items: Attachment[] }): JSX.Element | null {
  if (items.length === 0) return null
  return (
    <ul className="attachments" aria-label="Attachments">
      {items.map((a) => (
        <li key={a.id} className="attachment">
          <AttachmentInfo filename={a.filename} name={a.filename || 'Unnamed attachment'} contentType={a.contentType} meta={`${fileSize(a.size)} · ${a.contentType}`} />
          <button type="button" className="icon-button" aria-label={`Save ${a.filename}`} title="Save" onClick={() => void save(a)}>
            <Icon name="download" />
          </button>
        </li>
      ))}
    </ul>
  )
}

async function save(a: Attachment): Promise<void> {
  try {
    const content = await rpc('attachments.content', { id: a.id })
    const bytes = Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0))
    // application/octet-stream: the browser saves it rather than showing it.
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }))
    const link = document.createElement('a')
    link.href = url
    link.download = content.filename || a.filename || 'attachment'
    link.rel = 'noopener'
    document.body.append(link)
    link.click()
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  } catch (err) {
    toastError(err)
  }
}
