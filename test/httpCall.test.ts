// The provider HTTP client (outbound/httpCall.ts) on a real local server, and Twilio's failures through it:
// kept-alive connections, exact bodies, a silent server is a timeout, a closed port is offline, a 429's
// Retry-After is kept, an oversized answer is refused.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { httpCall } from '../src/main/engine/outbound/httpCall'
import { fetchMessage } from '../src/main/engine/channels/twilioApi'
import { SendFailure } from '../src/main/engine/outbound/failure'

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void
const servers: http.Server[] = []
async function serve(handler: Handler): Promise<{ url: string; connections: () => number }> {
  let connections = 0
  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => handler(req, body, res))
  })
  server.on('connection', () => connections++)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections }
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

describe('httpCall', () => {
  it('sends the method, headers and UTF-8 body as given, and reuses one connection for calls one after another', async () => {
    const seen: Array<{ method: string; auth: string; length: string; body: string }> = []
    const s = await serve((req, body, res) => {
      seen.push({ method: req.method!, auth: req.headers.authorization!, length: req.headers['content-length']!, body })
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: 'é' }))
    })
    const body = 'Body=Ol%C3%A1 — été'
    for (let i = 0; i < 5; i++) {
      const a = await httpCall(`${s.url}/x`, { method: 'POST', headers: { Authorization: 'Basic abc' }, body, timeoutMs: 5000 })
      expect(a.status).toBe(201)
      expect(JSON.parse(a.text)).toEqual({ ok: 'é' })
    }
    expect(seen).toHaveLength(5)
    expect(seen[0]).toEqual({ method: 'POST', auth: 'Basic abc', length: String(Buffer.byteLength(body)), body })
    expect(s.connections()).toBe(1)
  })

  it('gives up on a server that does not answer in time, with a TimeoutError', async () => {
    const s = await serve(() => undefined)
    await expect(httpCall(`${s.url}/slow`, { timeoutMs: 200 })).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('refuses an answer larger than allowed', async () => {
    const s = await serve((_req, _b, res) => res.end('x'.repeat(50_000)))
    await expect(httpCall(`${s.url}/big`, { timeoutMs: 5000, maxBytes: 10_000 })).rejects.toThrow('larger than expected')
  })
})

describe('Twilio through httpCall', () => {
  const cfg = (url: string) => ({ accountSid: 'AC' + '1'.repeat(32), authToken: 'secret-token', apiBaseUrl: url })

  it('a closed port is offline (the text waits)', async () => {
    const closed = await serve(() => undefined)
    const port = new URL(closed.url).port
    await new Promise((r) => servers.pop()!.close(r))
    const refused = await fetchMessage(cfg(`http://127.0.0.1:${port}`), 'SM1').catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(SendFailure)
    expect(refused).toMatchObject({ kind: 'offline', code: 'NETWORK' })
  })

  it('a 429 keeps its Retry-After, and the token never appears in an error message', async () => {
    const s = await serve((_req, _b, res) => res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end(JSON.stringify({ code: 20429, message: 'Too many requests', status: 429 })))
    const err = (await fetchMessage(cfg(s.url), 'SM1').catch((e: unknown) => e)) as SendFailure
    expect(err).toBeInstanceOf(SendFailure)
    expect(err.kind).toBe('rate_limit')
    expect(err.retryAfterMs).toBe(7000)
    const leak = await serve((_req, _b, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 21211, message: 'Bad To for secret-token', status: 400 })))
    const e2 = (await fetchMessage(cfg(leak.url), 'SM1').catch((e: unknown) => e)) as SendFailure
    expect(e2.message).not.toContain('secret-token')
  })
})
