// The engine alone in a child process, so a test can SIGKILL it mid-send and start it again.
// argv: dataDir [killAfterSent]. Prints "ready" once the scheduler runs; exits cleanly on SIGTERM.
// With killAfterSent, the process SIGKILLs itself as soon as that many rows are sent in total: a parent
// polling from outside reacts too slowly to land kills at a chosen point of a fast run.
// SB_ENGINE_OPTIONS (JSON) adds engine options, e.g. the team replicator's (test/mail/teamKill.test.ts); its
// `outbound` is merged into the defaults below.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { createEngine, type EngineOptions } from '../../src/main/engine'

const [dataDir, killAt] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: engineProcess <dataDir> [killAfterSent]')
const extra = JSON.parse(process.env.SB_ENGINE_OPTIONS ?? '{}') as Partial<EngineOptions>
const engine = createEngine({
  host: 'web',
  dataDir,
  log: (m) => process.stderr.write(`${m}\n`),
  ...extra,
  outbound: { undoMs: 0, probeMs: 300, eventsPollMs: 0, ...extra.outbound },
})
if (killAt) {
  const probe = new Database(join(dataDir, 'switchboard.db'), { readonly: true })
  const sent = probe.prepare("SELECT count(*) AS n FROM outbound_messages WHERE status = 'sent'")
  engine.subscribe((e) => {
    if (e.event === 'outbox.changed' && (sent.get() as { n: number }).n >= Number(killAt)) process.kill(process.pid, 'SIGKILL')
  })
}
process.stdout.write('ready\n')
process.on('SIGTERM', () => void engine.close().then(() => process.exit(0)))
