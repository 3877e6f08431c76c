// A window's view of the engine for bench:sync (f): its own process, connected to the web host's WebSocket as
// the renderer is, asking for the inbox every LIST_EVERY_MS and timing each answer (send → reply parsed). It
// also reads every event the host broadcasts, as a window must. On stdin's end it prints one JSON line of the
// samples (and this process's own event-loop delay p99) and exits. Env BENCH_SOCKET: {port, token, everyMs, input}.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import WebSocket from 'ws'

// This process's own turns: a late answer may be the window's scheduling, not the engine's.
const loopDelay = monitorEventLoopDelay({ resolution: 2 })
loopDelay.enable()

const { port, token, everyMs, input } = JSON.parse(process.env.BENCH_SOCKET ?? '{}')
const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${encodeURIComponent(token)}`)
const samples = []
const pending = new Map()
let nextId = 1
let stopped = false
let events = 0

ws.on('message', (data) => {
  const msg = JSON.parse(String(data))
  if (msg.event) return void events++
  const p = pending.get(msg.id)
  if (!p) return
  pending.delete(msg.id)
  p(msg)
})

function call(method, args) {
  const id = nextId++
  return new Promise((resolve) => {
    pending.set(id, resolve)
    ws.send(JSON.stringify({ id, method, input: args }))
  })
}

ws.on('open', async () => {
  process.stdout.write('ready\n')
  while (!stopped) {
    const t0 = performance.now()
    const r = await call('inbox.list', input)
    if (!r.ok) throw new Error(`inbox.list: ${JSON.stringify(r.error)}`)
    samples.push(performance.now() - t0)
    await new Promise((res) => setTimeout(res, everyMs))
  }
})

process.stdin.on('end', () => {
  stopped = true
  process.stdout.write(JSON.stringify({ samples, events, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 }) + '\n')
  ws.close()
  setTimeout(() => process.exit(0), 50)
})
process.stdin.resume()
