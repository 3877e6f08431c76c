// npm run bench:channels — 10,000 texts through the whole pipeline (texts.send → outbox row → claim paced per
// sender → Twilio POST → status polled until delivered) against the fake Twilio, run in a child process so
// its work does not count against the engine's thread. Figures, one JSON line each, medians of 3 runs:
//   pace       achieved sends per second of one sender set to 100/s (target within 5 %)
//   polling    status requests per message per poll interval (target ≤ 1): the most any one text was asked
//              within one interval, and all status requests over (texts × intervals they were open)
//   blocking   the engine thread's longest event-loop delay while it runs (target ≤ 50 ms)
// Baseline in the same run: the event-loop delay of the idle engine, and a bare setTimeout loop's pace.
// The machine is shared: the load average is printed beside the figures. Never asserted, only reported.
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver, constants as perfConstants } from 'node:perf_hooks'

const N = Number(process.env.BENCH_TEXTS ?? 10_000)
const RATE = Number(process.env.BENCH_RATE ?? 100)
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 10_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const TOKEN = 'bench-auth-token-0123456789'
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'channels', ...o }))
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// ---- the fake, in its own process
if (process.argv.includes('--fake')) {
  void (async () => {
    const { startFakeTwilio } = await import('../test/fakes/twilioFake')
    const fake = await startFakeTwilio({ authToken: TOKEN })
    process.on('message', (m: { cmd: string }) => {
      if (m.cmd === 'report') {
        const sends = fake.sent.map((s) => s.at)
        const polls: Record<string, number[]> = {}
        for (const r of fake.requests) {
          const sid = /\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(r.path)?.[1]
          if (sid) (polls[sid] ??= []).push(r.at)
        }
        const delivered = fake.sent.filter((s) => fake.message(s.sid)?.status === 'delivered').length
        process.send!({ sends, polls, delivered })
      }
    })
    process.send!({ url: fake.url, accountSid: fake.accountSid })
  })()
} else void main()

function startFake(): Promise<{ child: ChildProcess; url: string; accountSid: string }> {
  const child = fork(process.argv[1]!, ['--fake'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve) => child.once('message', (m: { url: string; accountSid: string }) => resolve({ child, ...m })))
}

interface Report { sends: number[]; polls: Record<string, number[]>; delivered: number }
const report = (child: ChildProcess): Promise<Report> =>
  new Promise((resolve) => {
    child.once('message', (m: Report) => resolve(m))
    child.send({ cmd: 'report' })
  })

async function baselinePace(): Promise<number> {
  // A bare timer loop at the same rate: what this machine's timers allow, with no engine.
  const n = Math.min(N, 1000)
  const t0 = performance.now()
  const times: number[] = []
  await new Promise<void>((resolve) => {
    const tick = () => {
      times.push(performance.now())
      if (times.length >= n) return resolve()
      setTimeout(tick, Math.max(0, t0 + (times.length * 1000) / RATE - performance.now()))
    }
    tick()
  })
  return (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)
}

async function run(i: number) {
  const { createEngine } = await import('../src/main/engine')
  const fake = await startFake()
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-channels-'))
  const engine = createEngine({
    host: 'web',
    dataDir,
    log: () => {},
    outbound: { eventsPollMs: 0, undoMs: 0, probeMs: 60_000 },
    inbound: { run: false },
    backups: { run: false },
    channels: { statusPollMs: POLL_MS, inboundPollMs: 0, concurrency: 16, batch: N },
  })
  const ok = async (method: string, input: unknown) => {
    const r = await engine.dispatch(method, input)
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`)
    return r.value as { id: number }
  }
  const obj = await ok('objects.create', { name: 'Bench', timezone: 'UTC' })
  await ok('twilio.upsert', { objectId: obj.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', apiBaseUrl: fake.url, smsPerSecond: RATE })
  const contact = await ok('contacts.create', { email: 'bench@client.test', phone: '+15555550100', primaryObjectId: obj.id })

  // Baseline: the idle engine's thread.
  const idle = monitorEventLoopDelay({ resolution: 5 })
  idle.enable()
  await new Promise((r) => setTimeout(r, 2000))
  idle.disable()

  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  // Garbage-collection pauses while the texts are queued, sent and polled: how much of the longest block is GC.
  const gcs: Array<{ ms: number; major: boolean }> = []
  const gcWatch = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ ms: e.duration, major: ((e as { detail?: { kind?: number } }).detail)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR })
  })
  gcWatch.observe({ entryTypes: ['gc'] })
  const started = performance.now()
  // Like a renderer's calls, each arrives on its own turn of the event loop (a bare await chain never lets
  // the loop, and its delay monitor, run at all).
  for (let k = 0; k < N; k++) await new Promise((r) => setImmediate(r)).then(() => ok('texts.send', { contactId: contact.id, channel: 'sms', body: `Bench text ${k}: your appointment is on Tuesday at 3pm.`, to: `+1555${String(1_000_000 + k).slice(1)}` }))
  const queuedMs = performance.now() - started
  const heapAfterQueueMb = Math.round(process.memoryUsage().heapUsed / 1e6)
  // The rest (sending and status polling) measured apart from the enqueueing of the 10,000 texts.
  const enqueueMax = loop.max
  const rest = monitorEventLoopDelay({ resolution: 5 })
  rest.enable()
  // Each stall over 50 ms, with when it came (seconds after queueing ended), to set beside the status
  // passes (every BENCH_POLL_MS) and the sends: the histogram says how long, this says when.
  const stalls: Array<[number, number]> = []
  const sinceQueued = performance.now()
  let lastTick = performance.now()
  const watchdog = setInterval(() => {
    const now = performance.now()
    if (now - lastTick > 55) stalls.push([round((now - sinceQueued) / 1000, 1), Math.round(now - lastTick - 5)])
    lastTick = now
  }, 5)
  // Wait until Twilio has every text delivered and the engine has polled each to its final status.
  const deadline = started + (N / RATE) * 1000 + 10 * POLL_MS + 60_000
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000))
    const r = await engine.dispatch('outbox.list', { status: 'sent', limit: 1 })
    const left = r.ok ? (r.value as { items: unknown[] }).items.length : 1
    const q = await engine.dispatch('outbox.list', { status: 'pending', limit: 1 })
    const pending = q.ok ? (q.value as { items: unknown[] }).items.length : 1
    if ((left === 0 && pending === 0) || performance.now() > deadline) break
  }
  loop.disable()
  rest.disable()
  clearInterval(watchdog)
  gcWatch.disconnect()
  const rep = await report(fake.child)
  fake.child.kill()
  await engine.close()
  rmSync(dataDir, { recursive: true, force: true })

  const sends = rep.sends.sort((a, b) => a - b)
  const pace = (sends.length - 1) / ((sends.at(-1)! - sends[0]!) / 1000)
  let maxInWindow = 0
  let statusRequests = 0
  let openIntervals = 0
  let minGap = Infinity
  for (const times of Object.values(rep.polls)) {
    statusRequests += times.length
    times.sort((a, b) => a - b)
    for (let k = 1; k < times.length; k++) minGap = Math.min(minGap, times[k]! - times[k - 1]!)
    for (let a = 0, b = 0; b < times.length; b++) {
      while (times[b]! - times[a]! >= POLL_MS) a++
      maxInWindow = Math.max(maxInWindow, b - a + 1)
    }
  }
  // Intervals each text was open: from its first to its last status request, at least one.
  for (const times of Object.values(rep.polls)) openIntervals += Math.max(1, Math.ceil((times.at(-1)! - times[0]! + 1) / POLL_MS))
  const r = {
    run: i,
    texts: N,
    sent: sends.length,
    delivered: rep.delivered,
    queueMs: Math.round(queuedMs),
    paceSet: RATE,
    pace: round(pace),
    paceErrorPct: round((Math.abs(pace - RATE) / RATE) * 100),
    maxStatusRequestsPerTextPerInterval: maxInWindow,
    statusRequestsPerTextInterval: round(statusRequests / Math.max(openIntervals, 1), 3),
    /** The closest two status requests for one text came, as a share of the interval (≥ 1: never twice in one). */
    minStatusGapOverInterval: minGap === Infinity ? null : round(minGap / POLL_MS, 3),
    blockMaxMs: round(loop.max / 1e6),
    blockP99Ms: round(loop.percentile(99) / 1e6),
    blockMaxWhileQueueingMs: round(enqueueMax / 1e6),
    blockMaxAfterQueueingMs: round(rest.max / 1e6),
    blockP99AfterQueueingMs: round(rest.percentile(99) / 1e6),
    idleBlockMaxMs: round(idle.max / 1e6),
    /** [seconds after queueing, ms] of each stall over 50 ms after queueing. */
    stallsAfterQueueing: stalls,
    gcMaxMs: round(Math.max(0, ...gcs.map((g) => g.ms))),
    gcMajorMaxMs: round(Math.max(0, ...gcs.filter((g) => g.major).map((g) => g.ms))),
    gcCount: gcs.length,
    heapAfterQueueMb,
    heapEndMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    // With --expose-gc: what is still held once the garbage is gone (a leak shows here, garbage does not).
    heapEndAfterGcMb: (globalThis as { gc?: () => void }).gc ? ((globalThis as { gc?: () => void }).gc!(), Math.round(process.memoryUsage().heapUsed / 1e6)) : null,
    gcTotalMs: Math.round(gcs.reduce((a, g) => a + g.ms, 0)),
    load: loadavg().map((x) => round(x)),
  }
  out(r)
  return r
}

async function main() {
  const base = await baselinePace()
  out({ figure: 'baseline', timerLoopPace: round(base), paceSet: RATE, load: loadavg().map((x) => round(x)) })
  const runs: Array<Awaited<ReturnType<typeof run>>> = []
  for (let i = 1; i <= RUNS; i++) runs.push(await run(i))
  const med = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k] as number))
  out({
    figure: 'median',
    runs: RUNS,
    pace: med('pace'),
    paceTarget: `${RATE} ±5 %`,
    paceErrorPct: med('paceErrorPct'),
    maxStatusRequestsPerTextPerInterval: med('maxStatusRequestsPerTextPerInterval'),
    minStatusGapOverInterval: med('minStatusGapOverInterval'),
    statusTarget: '≤ 1 per text per interval',
    blockMaxMs: med('blockMaxMs'),
    blockTarget: '≤ 50 ms',
    idleBlockMaxMs: med('idleBlockMaxMs'),
    load: loadavg().map((x) => round(x)),
  })
  process.exit(0)
}
