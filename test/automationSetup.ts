// Shared set-up for the automation tests: a business with an SMTP mailbox and its profile, a scripted
// transport in place of the real one (the state machine only; delivery is tested in test/mail/).
import { freshEngine, type TestEngine } from './helpers'
import { stubSender, type Stub } from './outbound/stubSender'

export interface Biz {
  t: TestEngine
  stub: Stub
  objectId: number
  mailboxId: number
  profileId: number
  idle: () => Promise<void>
  advance: (ms: number) => Promise<void>
}

export async function automationEngine(opts: { dataDir?: string; start?: number; tz?: string; cap?: number; stub?: Stub } = {}): Promise<Biz> {
  const stub = opts.stub ?? stubSender()
  const t = freshEngine({
    dataDir: opts.dataDir,
    start: opts.start,
    outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, scheduler: { random: () => 0.5 }, wrapSender: (kind, real) => (kind === 'smtp' ? stub.sender(real) : real) },
  })
  const biz = await addBusiness(t, 'Eve Beauty', 'hello@eve.test', { tz: opts.tz, cap: opts.cap })
  const idle = async () => {
    t.engine.automation.runDue()
    await t.engine.outbound.scheduler.idle()
    t.engine.automation.runDue()
    await t.engine.outbound.scheduler.idle()
  }
  const advance = async (ms: number) => {
    await t.ok('clock.advance', { ms })
    await idle()
  }
  return { t, stub, ...biz, idle, advance }
}

/** A business with one SMTP mailbox (port 9: never reached, the stub sends) and an active profile on it. */
export async function addBusiness(t: TestEngine, name: string, email: string, o: { tz?: string; cap?: number } = {}) {
  const object = await t.ok('objects.create', { name, postalAddress: '12 Rose Lane, Springfield', timezone: o.tz ?? 'America/New_York' })
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email,
    displayName: name,
    dailyCapacity: o.cap ?? 100,
    minGapSeconds: 0,
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: email, password: 'pw' },
  })
  const profile = await t.ok('profiles.create', { objectId: object.id, email, displayName: `${name} Team`, transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { objectId: object.id, mailboxId: mailbox.id, profileId: profile.id }
}
