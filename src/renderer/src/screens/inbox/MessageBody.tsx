// A received message's body. HTML (sanitised by the engine when it was synced) goes into an iframe that is sandboxed
// WITHOUT allow-scripts or allow-same-origin, from srcdoc, under its own CSP: nothing in it can run, reach
// the app, or load from the network unless the user allowed remote images. Plain text is rendered by React,
// and so is HTML over the sanitiser's budget (its words, or its source as text on "Show original").
import { useEffect, useMemo, useState, type JSX } from 'react'
import type { MessageDetail, MessageOriginal } from '../../../../shared/inbox'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { fileSize } from '../../lib/inbox'
import { rpc } from '../../rpc'
import '../../styles/messageSource.css'
import { mailFrameUrl, srcdocFor } from '../../../../shared/mailFrame'

export { frameCsp, srcdocFor } from '../../../../shared/mailFrame'

/** Without same-origin access the frame cannot be measured, so its height is estimated from the content
 * (lines of text, blocks, images) and it scrolls inside when the guess is short. */
export function estimateHeight(html: string): number {
  const text = html.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/gi, 'x').replace(/\s+/g, ' ').trim()
  const blocks = (html.match(/<(p|div|li|tr|h[1-6]|blockquote|table)\b/gi) ?? []).length
  const breaks = (html.match(/<br\b/gi) ?? []).length
  // Images that will actually show (blocked remote ones are hidden).
  const imageHeight = (html.match(/<img\b(?![^>]*data-blocked-src)[^>]*>/gi) ?? [])
    .filter((tag) => /\bsrc=/i.test(tag))
    .reduce((sum, tag) => sum + Math.min(Number(/\bheight=["']?(\d+)/i.exec(tag)?.[1] ?? 160), 600), 0)
  const lines = Math.max(Math.ceil(text.length / 80), blocks) + breaks
  return Math.round(Math.min(Math.max(lines * 22 + blocks * 12 + imageHeight + 16, 60), 1400))
}

export function MessageBody({ detail }: { detail: MessageDetail }): JSX.Element {
  const doc = useMemo(() => (detail.html ? srcdocFor(detail.html, detail.remoteImagesAllowed) : null), [detail.html, detail.remoteImagesAllowed])
  // Under Electron the frame comes from its own origin (app://mail), so the app's strict image policy is
  // not inherited by it as it is by srcdoc; the web host keeps srcdoc.
  const src = mailFrameUrl(detail.id, detail.remoteImagesAllowed)
  if (doc && detail.html)
    return (
      <iframe
        className="message-frame"
        title={`Message: ${detail.subject || '(no subject)'}`}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        {...(src ? { src } : { srcDoc: doc })}
        style={{ height: estimateHeight(detail.html) }}
      />
    )
  if (detail.htmlOmitted) return <OverBudget detail={detail} />
  return <PlainText detail={detail} />
}

function PlainText({ detail }: { detail: MessageDetail }): JSX.Element {
  return <div className={`message-text${detail.parseError ? ' is-raw' : ''}`}>{detail.text?.trim() || <span className="muted">(This message has no text.)</span>}</div>
}

const WHY: Record<NonNullable<MessageDetail['htmlOmitted']>, string> = {
  size: 'Its formatting is too large to display safely',
  depth: 'Its formatting is nested too deeply to display safely',
}

/**
 * HTML over the sanitiser's budget: its words, and (like Thunderbird's View Source) the original HTML as
 * text on request. The source is React text in a <pre>: nothing in it is parsed, run or loaded.
 */
function OverBudget({ detail }: { detail: MessageDetail }): JSX.Element {
  const [original, setOriginal] = useState<MessageOriginal | null>(null)
  const [showing, setShowing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setOriginal(null)
    setShowing(false)
    setError(null)
  }, [detail.id])
  const show = () => {
    if (original) return setShowing(true)
    setBusy(true)
    setError(null)
    rpc('messages.original', { id: detail.id }).then(
      (o) => (setOriginal(o), setShowing(true), setBusy(false)),
      (e) => (setError(messageOf(e)), setBusy(false)),
    )
  }
  return (
    <div className="budget">
      <div className="budget-bar" role="note">
        <Icon name="alert" size={15} />
        <span className="budget-text">
          {showing ? 'Original HTML, shown as text: nothing in it runs or loads.' : `${WHY[detail.htmlOmitted!]}, so only its text is shown.`}
        </span>
        <button type="button" className="link-button" disabled={busy} aria-pressed={showing} onClick={() => (showing ? setShowing(false) : show())}>
          {busy ? 'Loading…' : showing ? 'Show text' : 'Show original'}
        </button>
      </div>
      {error && (
        <p className="budget-error" role="alert">
          {error}
        </p>
      )}
      {showing && original ? (
        <>
          {original.truncated && (
            <p className="budget-cut">
              The first {fileSize(original.source.length)} of {fileSize(original.totalChars)} are shown.
            </p>
          )}
          <pre className="message-source" aria-label="Original HTML source">
            {original.source}
          </pre>
        </>
      ) : (
        <PlainText detail={detail} />
      )}
    </div>
  )
}
