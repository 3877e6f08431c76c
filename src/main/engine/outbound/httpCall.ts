// One HTTP request to a provider's API (Twilio), on Node's http/https with kept-alive connections. Not fetch:
// undici's fetch built a Request, a Response, Headers and web streams for every call, and at 10,000 texts (a
// send and several status looks each) that cost three to four times the CPU and garbage of a plain request
// (bench/channels.ts reports the GC pauses), which blocked the engine's thread for longer than 50 ms.
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

export interface HttpOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
  /** The whole call, connect to last byte. */
  timeoutMs: number
  /** A larger answer is cut off with an error (a provider's page of JSON is far smaller). */
  maxBytes?: number
}

/** Thrown when the call ran out of time; `name` is what callers check, as they did for fetch's. */
export class HttpTimeout extends Error {
  override name = 'TimeoutError'
}

const MAX_BYTES = 16 * 1024 * 1024
// Connections stay open between calls to one host (Twilio's API is one host): no TCP and TLS handshake per text.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 60_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 32, timeout: 60_000 }),
}

export function httpCall(url: string, o: HttpOptions): Promise<HttpAnswer> {
  const target = new URL(url)
  const proto = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : null
  if (!proto) return Promise.reject(new Error(`Not an http(s) address: ${target.protocol}`))
  const lib = proto === 'https:' ? https : http
  const body = o.body === undefined ? undefined : Buffer.from(o.body, 'utf8')
  const headers: Record<string, string | number> = { ...o.headers }
  if (body) headers['Content-Length'] = body.length
  return new Promise<HttpAnswer>((resolve, reject) => {
    let done = false
    const finish = (err: Error | null, answer?: HttpAnswer) => {
      if (done) return
      done = true
      clearTimeout(timer)
      if (err) reject(err)
      else resolve(answer!)
    }
    const req = lib.request(target, { method: o.method ?? 'GET', headers, agent: agents[proto] }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > (o.maxBytes ?? MAX_BYTES)) {
          finish(new Error('The answer was larger than expected'))
          res.destroy()
          return
        }
        chunks.push(c)
      })
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (err) => finish(err))
      res.on('aborted', () => finish(new Error('The connection closed before the answer was complete')))
    })
    const timer = setTimeout(() => {
      const err = new HttpTimeout(`No answer within ${o.timeoutMs} ms`)
      req.destroy(err)
      finish(err)
    }, o.timeoutMs)
    req.on('error', (err) => finish(err))
    req.end(body)
  })
}
