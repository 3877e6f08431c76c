// The web host as a user starts it: `npm run serve`'s CLI, a real WebSocket, the token and Origin checks.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openRpcSocket } from './support/rpcSocket'

let child: ChildProcess
let port = 0
const token = 'test-token-123'

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-host-'))
  child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--data-dir', dataDir, '--token', token, '--no-build', '--demo'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
  })
}, 30_000)
afterAll(() => void child?.kill('SIGTERM'))

const connect = (query: string, headers: Record<string, string> = {}) => openRpcSocket(port, { query, headers })
/** The frame as it came over the wire, without the client's byte count. */
const frame = async (p: Promise<{ bytes: number }>) => {
  const { bytes: _bytes, ...rest } = await p
  return rest as Record<string, unknown>
}

describe('web host', () => {
  it('refuses a wrong or missing token, a foreign Origin and a foreign Host', async () => {
    await expect(connect('?token=wrong')).rejects.toThrow('401')
    await expect(connect('')).rejects.toThrow('401')
    await expect(connect(`?token=${token}`, { Origin: 'https://evil.example' })).rejects.toThrow('403')
    await expect(connect(`?token=${token}`, { Host: `attacker.example:${port}` })).rejects.toThrow('403')
    const same = await connect(`?token=${token}`, { Origin: `http://127.0.0.1:${port}` })
    same.close()
  })

  it('answers {id, ok, value} and coded errors, and pushes events', async () => {
    const s = await connect(`?token=${token}`)
    const ws = s.ws
    const list = await frame(s.call('contacts.list', { limit: 5 }))
    expect(list).toMatchObject({ id: 1, ok: true })
    expect((list.value as { total: number }).total).toBe(50)
    expect(await frame(s.call('contacts.create', { email: 'nope' }))).toEqual({
      id: 2,
      ok: false,
      error: { code: 'VALIDATION', message: 'Not a valid email address', field: 'email' },
    })
    const event = new Promise((resolve) => ws.on('message', (d) => String(d).includes('"event"') && resolve(JSON.parse(String(d)))))
    const created = await frame(s.call('contacts.create', { email: 'pushed@x.co' }))
    expect(created.ok).toBe(true)
    expect(await event).toMatchObject({ event: 'contacts.changed', payload: { ids: [(created.value as { id: number }).id] } })
    ws.send('{not json')
    const bad = await new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))))
    expect(bad).toMatchObject({ id: null, ok: false, error: { code: 'VALIDATION' } })
    ws.close()
  })

  it('answers a malformed path with 400 and stays up', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/%E0%A4%A`)
    expect(res.status).toBe(400)
    const s = await connect(`?token=${token}`)
    expect((await s.call('app.info', {})).ok).toBe(true)
    s.close()
  })

  it('listens on loopback only', async () => {
    const { networkInterfaces } = await import('node:os')
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)
    if (!external) return // no non-loopback interface to try
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://${external.address}:${port}/rpc?token=${token}`)
        ws.once('open', resolve)
        ws.once('error', reject)
      }),
    ).rejects.toThrow(/ECONNREFUSED/)
  })
})
