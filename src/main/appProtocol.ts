// The renderer is served from app://switchboard instead of file:// (Electron's security checklist: file://
// pages get extra privileges, and the packaged app turns that fuse off). Message bodies are served from
// app://mail/<id>, an origin of their own, so the app's strict image policy is not inherited by them as it
// is by a srcdoc frame, and a message whose remote images the user allowed can still show them.
import { protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { frameCsp, srcdocFor } from '../shared/mailFrame'
import { APP_HOST, resolveAppRequest } from './appFiles'
import type { Engine } from './engine'
import { STATIC_TYPES as TYPES } from '../shared/staticTypes'

export const APP_ORIGIN = `app://${APP_HOST}`
const MAIL_ORIGIN = 'app://mail'

/** The app's own pages: nothing remote at all, message frames only from app://mail. */
export const APP_CSP =
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; ` +
  `frame-src ${MAIL_ORIGIN}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`


/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } })

export function serveApp(rendererDir: string, engine: () => Engine): void {
  protocol.handle('app', async (request) => {
    const r = resolveAppRequest(rendererDir, request.url)
    if (r.kind === 'error') return text(r.status, r.status === 400 ? 'Bad request' : 'Not found')
    if (r.kind === 'mail') return mailFrame(engine(), r.id)
    return new Response(await readFile(r.path), {
      headers: { 'content-type': TYPES[extname(r.path)] ?? 'application/octet-stream', 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' },
    })
  })
}

/** app://mail/<id>: the message's sanitised HTML, under the frame's own CSP (remote images only if allowed). */
async function mailFrame(engine: Engine, id: number): Promise<Response> {
  const r = await engine.dispatch('messages.get', { id })
  if (!r.ok) return text(404, 'This message is not available')
  const detail = r.value as { html: string | null; text: string | null; remoteImagesAllowed: boolean }
  // The engine's word decides about remote images, never the URL's ?remote (that only busts the cache).
  const allow = detail.remoteImagesAllowed
  return new Response(srcdocFor(detail.html ?? '', allow), {
    headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': `${frameCsp(allow)}; frame-ancestors ${APP_ORIGIN}`, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' },
  })
}
