// A received message's body. HTML (already sanitised by the engine) goes into an iframe that is sandboxed
// WITHOUT allow-scripts or allow-same-origin, from srcdoc, under its own CSP: nothing in it can run, reach
// the app, or load from the network unless the user allowed remote images. Plain text is rendered by React.
import { useMemo, type JSX } from 'react'
import type { MessageDetail } from '../../../../shared/inbox'

/** The frame's own policy: no scripts, no connections, images only inline unless allowed. */
export function frameCsp(allowRemote: boolean): string {
  const img = allowRemote ? "img-src data: cid: https: http:" : 'img-src data: cid:'
  return `default-src 'none'; ${img}; style-src 'unsafe-inline'; font-src data:; media-src 'none'; form-action 'none'; base-uri 'none'`
}

const FRAME_STYLE = `
  html { color-scheme: light; }
  body { margin: 0; padding: 2px 2px 8px; font: 14px/1.55 -apple-system, BlinkMacSystemFont, 'Segoe UI', Inter, Roboto, Arial, sans-serif; color: #1a1a1f; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  a { color: #4d4dc6; }
  blockquote { margin: 8px 0; padding-left: 12px; border-left: 3px solid #e0e0e8; color: #55555f; }
  pre { white-space: pre-wrap; }
  table { max-width: 100%; }
  img[data-blocked-src] { display: none; }
`

export function srcdocFor(html: string, allowRemote: boolean): string {
  // Links open outside the app (the sandbox lets popups escape it; the shell opens them in the browser).
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${frameCsp(allowRemote)}"><base target="_blank"><style>${FRAME_STYLE}</style></head><body>${html}</body></html>`
}

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
  if (doc && detail.html)
    return (
      <iframe
        className="message-frame"
        title={`Message: ${detail.subject || '(no subject)'}`}
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={doc}
        style={{ height: estimateHeight(detail.html) }}
      />
    )
  return <div className={`message-text${detail.parseError ? ' is-raw' : ''}`}>{detail.text?.trim() || <span className="muted">(This message has no text.)</span>}</div>
}
