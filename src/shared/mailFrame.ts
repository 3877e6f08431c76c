// The document a received message is shown in: the engine's sanitised HTML under the frame's own CSP.
// Shared (no React, no DOM) so the Electron host serves the very same document from app://mail.

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

/** The Electron host serves message frames from their own origin; elsewhere (web host) null: use srcdoc. */
export function mailFrameUrl(id: number, allowRemote: boolean): string | null {
  const here = (globalThis as { location?: { protocol: string } }).location
  if (here?.protocol !== 'app:') return null
  return `app://mail/${id}?remote=${allowRemote ? 1 : 0}`
}
