// The floor of bench:sync (b): every source of a folder through imapflow and nothing else. Run as a child
// process of the bench (`node bench/rawFetch.mjs` with BENCH_RAW = {host, port, user, pass} as JSON), so the
// sources it holds never count against the engine's memory, which the bench measures in its own process.
// Prints one JSON line: seconds, bytes, CPU seconds and the distinct sender addresses.
import { ImapFlow } from 'imapflow'

const cfg = JSON.parse(process.env.BENCH_RAW ?? '{}')
const c = new ImapFlow({ host: cfg.host, port: cfg.port, secure: false, doSTARTTLS: false, auth: { user: cfg.user, pass: cfg.pass }, logger: false, disableAutoIdle: true })
await c.connect()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
await c.mailboxOpen('INBOX', { readOnly: true })
let bytes = 0
const senders = new Set()
for await (const m of c.fetch('1:*', { uid: true, flags: true, internalDate: true, size: true, source: true, envelope: true })) {
  bytes += m.source?.length ?? 0
  const a = m.envelope?.from?.[0]?.address
  if (a) senders.add(a.toLowerCase())
}
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const rssMb = process.memoryUsage().rss / 1024 / 1024
await c.logout()
console.log(JSON.stringify({ seconds, bytes, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMb, senders: [...senders].slice(0, 1000) }))
