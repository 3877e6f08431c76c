// Issue 22 item 2 (team-domains): suppressions, consent, segments and intake rules replicate like the other shared
// domains. Real PostgreSQL; the replicators move ops only on team.sync, so "offline" is "not synced" and each test
// orders the pushes itself. No mail server: the one sending desktop points at a port nothing listens on, and the
// suppressed row must be skipped before any connection is tried.
import { describe, expect, it } from 'vitest'
import { freshEngine, type TestEngine } from './helpers'
import { waitFor } from './support/waitFor'
import { storeMessages } from '../src/main/engine/inbound/store'
import { addr, inboxRef, msg, storeCtx } from './inboxFixtures'
import { ADMIN, STAFF, applyAsPull, canonicalDump, freshDatabase, joinUrl, opsOfRow, teamEngine, withFile } from './teamSetup'

const HOUR = 3_600_000
const SMTP = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'desk@shop.test', password: 'desk-secret-pw' }

/** A desktop whose scheduler runs (on its test clock), with a manual replicator. */
const sendingDesk = () =>
  freshEngine({ team: { manual: true }, outbound: { undoMs: 0, probeMs: 60_000, eventsPollMs: 0, run: true }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })

async function twoDesks(opts: { aSends?: boolean } = {}) {
  const db = await freshDatabase()
  const a = opts.aSends ? sendingDesk() : teamEngine()
  const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
  const mailbox = await a.ok('mailboxes.create', { objectId: shop.id, email: SMTP.user, displayName: 'Desk', minGapSeconds: 0, smtp: SMTP, imap: null })
  const profile = await a.ok('profiles.create', { objectId: shop.id, email: SMTP.user, displayName: 'Desk', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const ann = await a.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: shop.id })
  // Made before the workspace: the snapshot a new workspace starts from carries them.
  await a.ok('contacts.update', { id: ann.id, status: 'unsubscribed' }) // a suppression of ann@client.test for the shop
  await a.ok('contacts.setConsent', { id: ann.id, channel: 'sms', status: 'revoked' })
  const seg = await a.ok('segments.create', { name: 'Clients', objectId: shop.id, rules: { all: [{ field: 'email', op: 'endsWith', value: '@client.test' }] } })
  const rule = await a.ok('intake.rules.create', { objectId: shop.id, name: 'Web form', fromMatch: 'forms@site.test', subjectMatch: 'New enquiry' })
  await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
  await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
  await a.ok('team.sync', {})
  const b = teamEngine()
  await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
  return { db, a, b, shop, mailbox, profile, ann, seg, rule }
}

const sync = async (...ts: TestEngine[]) => {
  for (const t of ts) expect(await t.ok('team.sync', {})).toMatchObject({ pendingOps: 0 })
}

const suppressionsOf = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT id, object_id AS objectId, email, reason FROM suppressions ORDER BY id').all())
const opsFor = (t: TestEngine, tbl: string) => withFile(t, (f) => f.prepare('SELECT count(*) AS n FROM team_ops WHERE tbl = ?').get(tbl) as { n: number }).n

describe('team domains', () => {
  it('a joining desktop gets the suppressions, consent, segments and intake rules made before the workspace', async () => {
    const { a, b, shop, ann, seg, rule } = await twoDesks()
    expect(suppressionsOf(b)).toEqual([expect.objectContaining({ objectId: shop.id, email: 'ann@client.test', reason: 'unsubscribed' })])
    expect((await b.ok('contacts.consent', { id: ann.id })).current).toEqual([expect.objectContaining({ channel: 'sms', status: 'revoked' })])
    expect((await b.ok('contacts.consent', { id: ann.id })).history).toHaveLength(1)
    expect(await b.ok('segments.list', {})).toEqual([expect.objectContaining({ id: seg.id, name: 'Clients' })])
    expect(await b.ok('intake.rules.list', {})).toEqual([expect.objectContaining({ id: rule.id, name: 'Web form', fromMatch: 'forms@site.test' })])
    expect(canonicalDump(b)).toEqual(canonicalDump(a))
  })

  it('each domain written on one desktop shows on the other, with ids from the writer’s block', async () => {
    const { a, b, shop, ann, seg, rule } = await twoDesks()
    const ben = await a.ok('contacts.create', { email: 'ben@client.test', firstName: 'Ben', primaryObjectId: shop.id })
    await sync(a, b)
    // B: a suppression (marking Ben bounced), consent, a segment and an intake rule; edits of A's segment and rule.
    await b.ok('contacts.update', { id: ben.id, status: 'bounced' })
    await b.ok('contacts.setConsent', { id: ben.id, channel: 'email', status: 'granted' })
    await b.ok('contacts.setConsent', { id: ann.id, channel: 'sms', status: 'granted' })
    const seg2 = await b.ok('segments.create', { name: 'Bounced', objectId: shop.id, rules: { all: [{ field: 'status', op: 'is', value: 'bounced' }] } })
    await b.ok('segments.update', { id: seg.id, name: 'All clients' })
    const tag = await b.ok('tags.create', { name: 'Lead' })
    const rule2 = await b.ok('intake.rules.create', { objectId: shop.id, name: 'Quote form', subjectMatch: 'Quote', tagIds: [tag.id] })
    await b.ok('intake.rules.update', { id: rule.id, enabled: false })
    expect(seg2.id).toBeGreaterThanOrEqual(2 ** 32)
    expect(rule2.id).toBeGreaterThanOrEqual(2 ** 32)
    const supB = suppressionsOf(b) as Array<{ id: number; email: string }>
    expect(supB.find((s) => s.email === 'ben@client.test')!.id).toBeGreaterThanOrEqual(2 ** 32)
    a.events.length = 0
    await sync(b, a)

    expect(suppressionsOf(a)).toEqual(supB)
    expect((await a.ok('contacts.consent', { id: ben.id })).current).toEqual([expect.objectContaining({ channel: 'email', status: 'granted' })])
    expect((await a.ok('contacts.consent', { id: ann.id })).current).toEqual([expect.objectContaining({ channel: 'sms', status: 'granted' })])
    expect((await a.ok('contacts.consent', { id: ann.id })).history.map((h) => h.status)).toEqual(['revoked', 'granted'])
    expect((await a.ok('segments.list', {})).map((s) => [s.id, s.name]).sort()).toEqual([[seg.id, 'All clients'], [seg2.id, 'Bounced']].sort())
    const rules = await a.ok('intake.rules.list', {})
    expect(rules.find((r) => r.id === rule.id)).toMatchObject({ enabled: false })
    expect(rules.find((r) => r.id === rule2.id)).toMatchObject({ name: 'Quote form', tagIds: [tag.id] })
    // The screens hear of it.
    expect(a.events.map((e) => e.event)).toEqual(expect.arrayContaining(['segments.changed', 'intake.changed', 'contacts.changed']))

    // Deletes replicate too: A deletes B's segment and rule.
    await a.ok('segments.delete', { id: seg2.id })
    await a.ok('intake.rules.delete', { id: rule2.id })
    await sync(a, b)
    expect((await b.ok('segments.list', {})).map((s) => s.id)).toEqual([seg.id])
    expect((await b.ok('intake.rules.list', {})).map((r) => r.id)).toEqual([rule.id])
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
  })

  it('an intake rule’s sequence stays on its desktop (sequences do not replicate yet): the other gets the rule without it', async () => {
    const { a, b, shop, mailbox } = await twoDesks()
    const sq = await a.ok('sequences.create', { objectId: shop.id, name: 'Welcome', steps: [{ subject: 'Hi', bodyHtml: '<p>Hi</p>' }], mailboxIds: [mailbox.id] })
    const rule = await a.ok('intake.rules.create', { objectId: shop.id, name: 'With a sequence', subjectMatch: 'Hello', sequenceId: sq.id })
    await sync(a, b)
    expect((await a.ok('intake.rules.list', {})).find((r) => r.id === rule.id)).toMatchObject({ sequenceId: sq.id })
    expect((await b.ok('intake.rules.list', {})).find((r) => r.id === rule.id)).toMatchObject({ name: 'With a sequence', sequenceId: null })
  })

  it('a suppression added on B stops a message A queued: skipped on A, never sent', async () => {
    const { a, b, profile } = await twoDesks({ aSends: true })
    const sendAt = new Date(a.clock.now() + HOUR - 1000).toISOString()
    const queued = await a.ok('mail.send', { profileId: profile.id, to: ['cy@client.test'], subject: 'Offer', html: '<p>Hi Cy</p>', sendAt })
    const row = () => withFile(a, (f) => f.prepare('SELECT id, status, status_reason AS reason FROM outbound_messages WHERE message_id = ?').get(queued.messageId)) as { id: number; status: string; reason: string | null }
    expect(row().status).toBe('queued')
    await sync(a, b)
    // B: Cy complained (by hand, on a contact B made): a suppression for every business.
    const cy = await b.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy' })
    await b.ok('contacts.update', { id: cy.id, status: 'complained' })
    await sync(b, a)
    expect(suppressionsOf(a)).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'cy@client.test', objectId: null, reason: 'complained' })]))
    // The row falls due on A; its claim is A's (A queued it). It is skipped with the reason, not tried.
    await a.ok('clock.advance', { ms: HOUR })
    a.engine.outbound.scheduler.wake()
    await waitFor(() => row().status === 'skipped', { timeoutMs: 20_000, message: 'the suppressed row is skipped' })
    expect(row().reason).toMatch(/cy@client\.test is suppressed \(complained\)/)
    const events = withFile(a, (f) => f.prepare('SELECT type FROM message_events WHERE outbound_id = ? ORDER BY id').all(row().id)) as Array<{ type: string }>
    expect(events.map((e) => e.type)).toEqual(['queued', 'skipped'])
    expect(events.map((e) => e.type)).not.toContain('sending')
    // B learns the outcome like any other.
    await sync(a, b)
    expect(withFile(b, (f) => f.prepare('SELECT status FROM outbound_messages WHERE id = ?').get(row().id))).toEqual({ status: 'skipped' })
  })

  it('the same suppression and the same segment name made on both desktops offline end as one row everywhere', async () => {
    const { a, b, shop } = await twoDesks()
    const cy = await a.ok('contacts.create', { email: 'cy@client.test', firstName: 'Cy', primaryObjectId: shop.id })
    const dee = await a.ok('contacts.create', { email: 'dee@client.test', firstName: 'Dee', primaryObjectId: shop.id })
    await sync(a, b)
    // Apart: both suppress Cy and Dee (a bounce on A, a complaint on B: both for every business), and both make a
    // segment called "VIP" with their own rules.
    for (const [t, reason] of [[a, 'bounced'], [b, 'complained']] as const) {
      await t.ok('contacts.update', { id: cy.id, status: reason })
      await t.ok('contacts.update', { id: dee.id, status: reason })
    }
    const vipA = await a.ok('segments.create', { name: 'VIP', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Cy' }] } })
    const vipB = await b.ok('segments.create', { name: 'vip', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })
    expect(vipA.id).not.toBe(vipB.id)
    // A reaches PostgreSQL first; B pushes its copies before it hears of A's (each desktop holds its own row when
    // the other arrives), then A pulls.
    await sync(a, b, a)
    const dumpA = canonicalDump(a)
    expect(canonicalDump(b)).toEqual(dumpA)
    // One suppression per address, A's (the first to reach PostgreSQL), as A made it.
    const rows = (dumpA.suppressions as Array<{ id: number; object_id: number | null; email: string; reason: string }>).filter((s) => s.object_id === null)
    expect(rows.map((s) => [s.email, s.reason]).sort()).toEqual([['cy@client.test', 'bounced'], ['dee@client.test', 'bounced']])
    expect(rows.every((s) => s.id < 2 ** 32 * 2 && s.id >= 2 ** 32)).toBe(true)
    const segs = await b.ok('segments.list', {})
    expect(segs.filter((s) => s.name.toLowerCase() === 'vip')).toEqual([expect.objectContaining({ id: vipA.id, name: 'VIP', rules: { all: [{ field: 'firstName', op: 'equals', value: 'Cy' }] } })])
    // A later change reaches the one row: B edits "its" segment, under the id it has now.
    await b.ok('segments.update', { id: vipA.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })
    await sync(b, a)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    expect((await a.ok('segments.list', {})).find((s) => s.id === vipA.id)).toMatchObject({ rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })
    expect(opsFor(a, 'segments') + opsFor(b, 'segments')).toBe(0)
  })

  it('a copy still queued when the other desktop’s arrives is renamed to it, and its queued changes follow', async () => {
    const { db, a, b, shop } = await twoDesks()
    const vipA = await a.ok('segments.create', { name: 'VIP', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Cy' }] } })
    await sync(a)
    const vipB = await b.ok('segments.create', { name: 'VIP', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Cy' }] } })
    await b.ok('segments.update', { id: vipB.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })
    // A's insert arrives while B's copy is still queued (a write landing during a sync), applied as a pull applies it.
    const ops = await opsOfRow(db.url, 'segments', vipA.id)
    expect(ops.map((o) => o.kind)).toEqual(['insert'])
    applyAsPull(b, ops)
    // B's row now has A's id and name, with B's later edit of its rules; its queue speaks of A's id, as updates.
    expect((await b.ok('segments.list', {})).filter((s) => s.name === 'VIP')).toEqual([expect.objectContaining({ id: vipA.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })])
    const queued = withFile(b, (f) => f.prepare("SELECT row_key AS rowKey, kind, fields FROM team_ops WHERE tbl = 'segments' ORDER BY seq").all()) as Array<{ rowKey: string; kind: string; fields: string }>
    expect(queued.map((q) => [q.rowKey, q.kind])).toEqual([[String(vipA.id), 'update'], [String(vipA.id), 'update']])
    expect(JSON.parse(queued[0].fields)).toEqual({}) // the copy's creation adds nothing
    await sync(b, a)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    expect((await a.ok('segments.list', {})).filter((s) => s.name === 'VIP')).toEqual([expect.objectContaining({ id: vipA.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })])
  })

  for (const variant of ['pushed', 'queued'] as const) {
    it(`a segment deleted on A before B's apart copy of its name reached PostgreSQL: B's stands everywhere (B's copy ${variant})`, async () => {
      const { db, a, b, shop } = await twoDesks()
      const vipA = await a.ok('segments.create', { name: 'VIP', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Cy' }] } })
      await sync(a)
      await a.ok('segments.delete', { id: vipA.id })
      await sync(a)
      const vipB = await b.ok('segments.create', { name: 'VIP', objectId: shop.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })
      if (variant === 'pushed') {
        await sync(b) // B's insert goes after A's delete; then B pulls A's insert (renaming its copy) and the delete
      } else {
        // B pulls A's insert and delete while its copy is still queued, as a pull applies them.
        const ops = await opsOfRow(db.url, 'segments', vipA.id)
        expect(ops.map((o) => o.kind)).toEqual(['insert', 'delete'])
        applyAsPull(b, ops)
        expect(withFile(b, (f) => f.prepare("SELECT row_key AS k, kind FROM team_ops WHERE tbl = 'segments'").all())).toEqual([{ k: String(vipB.id), kind: 'insert' }])
      }
      await sync(b, a, b)
      for (const t of [a, b]) expect((await t.ok('segments.list', {})).filter((x) => x.name === 'VIP')).toEqual([expect.objectContaining({ id: vipB.id, rules: { all: [{ field: 'firstName', op: 'equals', value: 'Dee' }] } })])
      expect(canonicalDump(a)).toEqual(canonicalDump(b))
    })
  }

  it('consent set apart on both desktops converges (the later answer wins, both stay in the history), also on a contact made twice', async () => {
    const { a, b, shop, ann } = await twoDesks()
    // Apart: A and B answer for Ann's e-mail differently; both make the same new contact (Eve) with consent each.
    await a.ok('contacts.setConsent', { id: ann.id, channel: 'email', status: 'revoked' })
    await b.ok('contacts.setConsent', { id: ann.id, channel: 'email', status: 'granted' })
    const eveA = await a.ok('contacts.create', { email: 'eve@client.test', firstName: 'Eve', primaryObjectId: shop.id })
    await a.ok('contacts.setConsent', { id: eveA.id, channel: 'sms', status: 'granted' })
    const eveB = await b.ok('contacts.create', { email: 'eve@client.test', firstName: 'Eve', primaryObjectId: shop.id })
    await b.ok('contacts.setConsent', { id: eveB.id, channel: 'whatsapp', status: 'revoked' })
    await sync(a, b, a)
    expect(canonicalDump(a)).toEqual(canonicalDump(b))
    for (const t of [a, b]) {
      const annC = await t.ok('contacts.consent', { id: ann.id })
      expect(annC.current.find((c) => c.channel === 'email')).toMatchObject({ status: 'granted' }) // B's, pushed later
      expect(annC.history.filter((h) => h.channel === 'email').map((h) => h.status).sort()).toEqual(['granted', 'revoked'])
      // One Eve (A's, first in PostgreSQL) with both answers.
      const eve = await t.ok('contacts.consent', { id: eveA.id })
      expect(eve.current.map((c) => [c.channel, c.status])).toEqual([['sms', 'granted'], ['whatsapp', 'revoked']])
      expect(eve.history).toHaveLength(2)
      expect(await t.err('contacts.get', { id: eveB.id })).toMatchObject({ code: 'NOT_FOUND' })
    }
  })
  it('a person erased on either desktop, before the workspace or in it, cannot be added, imported or mailed on the other', async () => {
    const db = await freshDatabase()
    const a = teamEngine()
    const shop = await a.ok('objects.create', { name: 'Shop', timezone: 'UTC' })
    const profile = await a.ok('profiles.create', { objectId: shop.id, email: 'desk@shop.test', displayName: 'Desk', transport: { kind: 'smtp', mailboxId: (await a.ok('mailboxes.create', { objectId: shop.id, email: 'desk@shop.test', displayName: 'Desk', minGapSeconds: 0, smtp: SMTP, imap: null })).id } })
    // Erased before the workspace existed: the block travels in the new workspace's snapshot.
    await a.ok('contacts.erase', { id: (await a.ok('contacts.create', { email: 'old@client.test', primaryObjectId: shop.id })).id })
    await a.ok('team.create', { databaseUrl: db.url, admin: ADMIN })
    await a.ok('team.users.create', { ...STAFF, role: 'staff', profileIds: [profile.id] })
    await a.ok('team.sync', {})
    const b = teamEngine()
    await b.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    // Erased in the workspace, on each desktop, each before it had erased anyone else in it.
    const eve = await a.ok('contacts.create', { email: 'eve@client.test', primaryObjectId: shop.id })
    const bo = await b.ok('contacts.create', { email: 'bo@client.test', primaryObjectId: shop.id })
    await sync(a, b, a)
    await a.ok('contacts.erase', { id: eve.id })
    await b.ok('contacts.erase', { id: bo.id })
    await sync(a, b, a)
    // The contact rows went everywhere.
    for (const t of [a, b]) for (const c of [eve, bo]) expect((await t.err('contacts.get', { id: c.id })).code).toBe('NOT_FOUND')
    for (const [t, people] of [[b, ['old@client.test', 'eve@client.test']], [a, ['bo@client.test']]] as const) {
      for (const email of people) {
        const created = await t.err('contacts.create', { email: email.toUpperCase(), primaryObjectId: shop.id })
        expect(created).toMatchObject({ code: 'CONFLICT', field: 'email' })
        expect(created.message).toContain('erased')
        const imp = await t.ok('contacts.import', { csv: `email\n${email}`, objectId: shop.id, tagIds: [] })
        expect(imp).toMatchObject({ imported: 0, skipped: 1 })
        const sent = await t.ok('mail.send', { profileId: profile.id, to: [email], subject: 'Hello again', html: '<p>hi</p>' })
        expect(sent.status).toBe('skipped')
      }
    }
    // No address in clear anywhere: only the salted keys replicate.
    for (const t of [a, b]) expect(JSON.stringify(suppressionsOf(t))).not.toMatch(/old@|eve@|bo@/)
  })
  it('mail of a person erased on one desktop leaves the others, and no desktop stores it again, a new one included', async () => {
    const { db, a, b, shop, mailbox } = await twoDesks()
    const eve = await a.ok('contacts.create', { email: 'eve@client.test', firstName: 'Eve', primaryObjectId: shop.id })
    await sync(a, b)
    // Each desktop's own IMAP copy of the same mail: same mailbox, folder, UIDVALIDITY, UID and Message-ID.
    const fromEve = msg({ uid: 501, messageId: '<eve-1@client.test>', from: addr('eve@client.test', 'Eve'), to: [addr(SMTP.user)], subject: 'Private from Eve', text: 'my secret plans' })
    const noId = msg({ uid: 503, messageId: null, from: addr('eve@client.test', 'Eve'), to: [addr(SMTP.user)], subject: 'Eve again', text: 'no message id' })
    // Shared with Ann (another contact): it stays, with Eve cut out of it.
    const fromAnn = msg({ uid: 502, messageId: '<ann-1@client.test>', from: addr('ann@client.test', 'Ann'), to: [addr(SMTP.user)], cc: [addr('eve@client.test', 'Eve Quill')], subject: 'From Ann', text: 'Ann writes: Eve Quill agrees' })
    for (const t of [a, b]) expect(storeMessages(storeCtx(t).ctx, inboxRef(mailbox.id), [fromEve, noId, fromAnn]).stored).toBe(3)
    const subjects = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT subject FROM messages ORDER BY uid').pluck().all())
    expect(subjects(b)).toEqual(['Private from Eve', 'From Ann', 'Eve again'])

    // B's snapshot from before the erase holds Eve (her contact row and her mail).
    await b.ok('backups.create', {})
    const backupsOf = async (t: TestEngine) => {
      const st = await t.ok('backups.list', {})
      return st.running ? null : st.backups.map((x) => x.id)
    }
    const before = await waitFor(async () => ((await backupsOf(b))?.length === 1 ? (await backupsOf(b))! : undefined))
    await b.ok('clock.advance', { ms: 60_000 }) // a snapshot is named by its time

    // The dialog's preview says the other desktops follow.
    expect((await a.ok('contacts.erasePreview', { id: eve.id })).team).toBe(true)
    await a.ok('contacts.erase', { id: eve.id })
    await sync(a, b)
    await waitFor(() => subjects(b).length === 1)
    // No snapshot on B can bring her back: the old one went, and a fresh one was taken after the erase.
    await waitFor(async () => {
      const now = await backupsOf(b)
      return now?.length === 1 && now[0] !== before[0]
    })
    for (const t of [a, b]) {
      expect(subjects(t)).toEqual(['From Ann'])
      expect((await t.ok('inbox.list', { query: 'secret' })).threads).toHaveLength(0)
      const kept = withFile(t, (f) => f.prepare("SELECT m.cc_json AS cc, b.text FROM messages m JOIN message_bodies b ON b.message_id = m.id WHERE m.uid = 502").get()) as { cc: string; text: string }
      expect(kept.cc).not.toContain('eve@client.test')
      expect(kept.text).toBe('Ann writes: [erased] agrees')
      expect((await t.ok('inbox.list', { query: 'Quill' })).threads).toHaveLength(0)
      // Its sync (a new UIDVALIDITY, a wider window) brings the mail back from the server: it is not stored.
      expect(storeMessages(storeCtx(t).ctx, inboxRef(mailbox.id), [fromEve, noId]).stored).toBe(0)
    }
    // Only salted keys travelled.
    expect(JSON.stringify(withFile(b, (f) => f.prepare('SELECT key FROM erased_messages').pluck().all()))).not.toMatch(/eve|client\.test|@/)
    // A desktop that joins afterwards has the keys before its first sync.
    const c = teamEngine()
    await c.ok('team.join', { databaseUrl: joinUrl(db), email: STAFF.email, password: STAFF.password })
    expect(storeMessages(storeCtx(c).ctx, inboxRef(mailbox.id), [fromEve, noId, fromAnn]).stored).toBe(1)
    expect(subjects(c)).toEqual(['From Ann'])
  })
  it('two desktops that erase for the first time apart each make a salt; both salts replicate and both blocks hold', async () => {
    const { a, b, shop } = await twoDesks()
    const eve = await a.ok('contacts.create', { email: 'eve@client.test', primaryObjectId: shop.id })
    const bo = await a.ok('contacts.create', { email: 'bo@client.test', primaryObjectId: shop.id })
    await sync(a, b)
    await a.ok('contacts.erase', { id: eve.id })
    await b.ok('contacts.erase', { id: bo.id })
    await sync(a, b, a)
    const salts = (t: TestEngine) => withFile(t, (f) => f.prepare('SELECT salt FROM erase_salts ORDER BY salt').pluck().all())
    expect(salts(a)).toHaveLength(2)
    expect(salts(b)).toEqual(salts(a))
    for (const t of [a, b])
      for (const email of ['eve@client.test', 'bo@client.test']) expect(await t.err('contacts.create', { email, primaryObjectId: shop.id })).toMatchObject({ code: 'CONFLICT', field: 'email' })
  })
})
