// The engine alone in a child process for test/flowsTextKill.test.ts: it runs flows on the system clock
// until the test SIGKILLs it (or SIGTERMs it at the end). argv: dataDir. Prints "ready".
import { createEngine } from '../src/main/engine'

const [dataDir] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: flowsTextProcess <dataDir>')
const engine = createEngine({ host: 'web', dataDir, log: (m) => process.stderr.write(`${m}\n`), outbound: { undoMs: 0, probeMs: 300_000, eventsPollMs: 0 }, channels: { statusPollMs: 0, inboundPollMs: 0 } })
process.stdout.write('ready\n')
process.on('SIGTERM', () => void engine.close().then(() => process.exit(0)))
