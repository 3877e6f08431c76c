// A received message's body. HTML (already sanitised by the engine) goes into an iframe that is sandboxed
// WITHOUT allow-scripts or allow-same-origin, from srcdoc, under its own CSP: nothing in it can run, reach
// the app, or load from the network unless the user allowed remote images. Plain text is rendered by React.
import { useMemo, type JSX } from 'react'
import type { MessageDetail } from '../../../../shared/inbox'
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
  return <div className={`message-text${detail.parseError ? ' is-raw' : ''}`}>{detail.text?.trim() || <span className="muted">(This message has no text.)</span>}</div>
}
