// Autoresponders (seed 000) on the test clock: triggers, one transaction per firing, the seed's failure
// messages, skips, execution statuses that follow the outbox, counters, date triggers with catch-up.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addBusiness, automationEngine, type Biz } from './automationSetup'
import type { TestEngine } from './helpers'

const DAY = 86_400_000
const welcome = { subject: 'Welcome {{contact.first_name}}', bodyHtml: '<p>Hi {{default contact.first_name "there"}}, welcome to {{object.name}}.</p>' }

async function tagTrigger(b: Biz, extra: Record<string, unknown> = {}) {
  const tag = await b.t.ok('tags.create', { name: 'Holiday form' })
  const ar = await b.t.ok('autoresponders.create', { name: 'Holiday greeting', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [welcome], ...extra })
  return { tag, ar }
}
const execs = (t: TestEngine, autoresponderId: number) => t.ok('autoresponders.executions', { autoresponderId })
const ar = async (t: TestEngine, id: number) => (await t.ok('autoresponders.list', {})).find((a) => a.id === id)!

describe('autoresponders', () => {
  it('TAG_ADDED: tagging writes a PENDING execution and its queued outbound row together, then SENT from the contact’s object’s profile', async () => {
    const b = await automationEngine()
    const other = await addBusiness(b.t, 'Other Biz', 'desk@other.test')
    const { tag, ar: a } = await tagTrigger(b)
    const c = await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: other.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    const [e] = await execs(b.t, a.id)
    expect(e).toMatchObject({ status: 'PENDING', contactId: c.id, contactEmail: 'ann@client.test', error: null })
    const row = await b.t.ok('outbox.get', { id: e!.outboundId! })
    expect(row).toMatchObject({ status: 'queued', source: 'autoresponder', to: ['ann@client.test'], from: 'Other Biz Team <desk@other.test>', subject: 'Welcome Ann' })
    await b.idle()
    expect((await execs(b.t, a.id))[0]).toMatchObject({ status: 'SENT' })
    expect(await ar(b.t, a.id)).toMatchObject({ totalSent: 1, totalFailed: 0 })
    expect(b.stub.sent.map((r) => r.fromEmail)).toEqual(['desk@other.test'])
    // Tagging again does nothing: only newly tagged contacts fire.
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    expect(await execs(b.t, a.id)).toHaveLength(1)
  })

  it('an autoresponder of one object ignores contacts of another', async () => {
    const b = await automationEngine()
    const other = await addBusiness(b.t, 'Other Biz', 'desk@other.test')
    const { tag, ar: a } = await tagTrigger(b, { objectId: b.objectId })
    const c = await b.t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: other.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    expect(await execs(b.t, a.id)).toHaveLength(0)
  })

  it('uses the seed’s exact failure messages', async () => {
    const b = await automationEngine()
    const { tag, ar: a } = await tagTrigger(b)
    const noObject = await b.t.ok('contacts.create', { email: 'a@client.test' })
    const bare = await b.t.ok('objects.create', { name: 'No Profile Inc' })
    const noProfile = await b.t.ok('contacts.create', { email: 'b@client.test', primaryObjectId: bare.id })
    const mg = await b.t.ok('objects.create', { name: 'Mailgun Shop' })
    await b.t.ok('mailgun.upsert', { objectId: mg.id, sendingDomain: 'mg.shop.test', apiKey: 'key-12345678' })
    await b.t.ok('profiles.create', { objectId: mg.id, email: 'hi@shop.test', displayName: 'Shop', transport: { kind: 'mailgun' } })
    // The key is gone (e.g. cleared from the settings file): the profile remains but cannot send.
    const db = new Database(join(b.t.dataDir, 'switchboard.db'))
    db.prepare('UPDATE object_mailgun_settings SET api_key_sealed = NULL WHERE object_id = ?').run(mg.id)
    db.close()
    const noMailgun = await b.t.ok('contacts.create', { email: 'c@client.test', primaryObjectId: mg.id })
    await b.t.ok('contacts.addTag', { contactIds: [noObject.id, noProfile.id, noMailgun.id], tagId: tag.id })
    const byContact = Object.fromEntries((await execs(b.t, a.id)).map((e) => [e.contactId, e]))
    expect(byContact[noObject.id]).toMatchObject({ status: 'FAILED', error: 'Contact not assigned to any business', outboundId: null })
    expect(byContact[noProfile.id]).toMatchObject({ status: 'FAILED', error: 'Business has no email sending profile configured', outboundId: null })
    expect(byContact[noMailgun.id]).toMatchObject({ status: 'FAILED', error: 'Business Mailgun not configured', outboundId: null })
    expect(await ar(b.t, a.id)).toMatchObject({ totalFailed: 3, totalSent: 0 })
  })

  it('skips unsubscribed, suppressed and email-less contacts, and templates a contact cannot fill', async () => {
    const b = await automationEngine()
    const tag = await b.t.ok('tags.create', { name: 'VIP' })
    const a = await b.t.ok('autoresponders.create', { name: 'VIP', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Hi', bodyHtml: '<p>Your code {{contact.fields.code}}</p>' }] })
    const mk = (email: string | null, extra: Record<string, unknown> = {}) => b.t.ok('contacts.create', { email, firstName: 'X', primaryObjectId: b.objectId, fields: { code: 'A1' }, ...extra })
    const unsub = await mk('u@client.test')
    await b.t.ok('contacts.update', { id: unsub.id, status: 'unsubscribed' })
    const supp = await mk('s@client.test')
    const db = new Database(join(b.t.dataDir, 'switchboard.db'))
    db.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, 's@client.test', 'bounced', 0)").run()
    db.close()
    const noEmail = await mk(null)
    const noCode = await mk('n@client.test', { fields: {} })
    const fine = await mk('f@client.test')
    await b.t.ok('contacts.addTag', { contactIds: [unsub.id, supp.id, noEmail.id, noCode.id, fine.id], tagId: tag.id })
    await b.idle()
    const byContact = Object.fromEntries((await execs(b.t, a.id)).map((e) => [e.contactId, e]))
    expect(byContact[unsub.id]).toMatchObject({ status: 'SKIPPED', error: 'u@client.test is suppressed (unsubscribed)' })
    expect(byContact[supp.id]).toMatchObject({ status: 'SKIPPED', error: 's@client.test is suppressed (bounced)' })
    expect(byContact[noEmail.id]).toMatchObject({ status: 'SKIPPED', error: 'The contact has no email address', outboundId: null })
    expect(byContact[noCode.id]!.status).toBe('SKIPPED')
    expect(byContact[noCode.id]!.error).toContain('{{contact.fields.code}}')
    expect(byContact[fine.id]).toMatchObject({ status: 'SENT' })
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Hi'])
    expect(b.stub.sent[0]!.html).toContain('Your code A1')
    expect(await ar(b.t, a.id)).toMatchObject({ totalSent: 1, totalSkipped: 4, totalFailed: 0 })
  })

  it('a failed send makes the execution FAILED with the error', async () => {
    const b = await automationEngine()
    const { tag, ar: a } = await tagTrigger(b)
    b.stub.script = ['permanent']
    const c = await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    await b.idle()
    expect((await execs(b.t, a.id))[0]).toMatchObject({ status: 'FAILED', error: 'scripted permanent' })
    expect(await ar(b.t, a.id)).toMatchObject({ totalFailed: 1, totalSent: 0 })
  })

  it('ordered actions go out after their delays', async () => {
    const b = await automationEngine()
    const a = await b.t.ok('autoresponders.create', {
      name: 'Onboarding',
      trigger: { type: 'CONTACT_CREATED' },
      actions: [welcome, { subject: 'Day two', bodyHtml: '<p>Tips</p>', delay: { value: 1, unit: 'days' } }, { subject: 'Later', bodyHtml: '<p>More</p>', delay: { value: 2, unit: 'hours' } }],
    })
    const start = b.t.clock.now()
    await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: b.objectId })
    const ex = (await execs(b.t, a.id)).sort((x, y) => x.actionPosition - y.actionPosition)
    expect(ex.map((e) => Date.parse(e.scheduledFor) - start)).toEqual([0, DAY, DAY + 2 * 3_600_000])
    await b.idle()
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Welcome Ann'])
    await b.advance(DAY)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Welcome Ann', 'Day two'])
    await b.advance(2 * 3_600_000)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Welcome Ann', 'Day two', 'Later'])
    expect(await ar(b.t, a.id)).toMatchObject({ totalSent: 3 })
  })

  it('CONTACT_CREATED fires for CSV imports too, once per contact (re-import updates, never re-fires)', async () => {
    const b = await automationEngine()
    const a = await b.t.ok('autoresponders.create', { name: 'Welcome', trigger: { type: 'CONTACT_CREATED' }, actions: [welcome] })
    const csv = 'email,first name\nann@client.test,Ann\nbob@client.test,Bob\n'
    expect(await b.t.ok('contacts.import', { csv, objectId: b.objectId })).toMatchObject({ imported: 2 })
    expect(await b.t.ok('contacts.import', { csv, objectId: b.objectId })).toMatchObject({ imported: 0, updated: 2 })
    await b.idle()
    expect((await execs(b.t, a.id)).map((e) => e.status)).toEqual(['SENT', 'SENT'])
    expect(b.stub.sent.map((r) => r.subject).sort()).toEqual(['Welcome Ann', 'Welcome Bob'])
  })

  it('a contact who unsubscribes before a delayed action leaves gets it skipped, and leaves their sequences', async () => {
    const b = await automationEngine()
    const a = await b.t.ok('autoresponders.create', { name: 'Later', trigger: { type: 'CONTACT_CREATED' }, actions: [{ subject: 'Tomorrow', bodyHtml: '<p>x</p>', delay: { value: 1, unit: 'days' } }] })
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, steps: [{ subject: 'One', bodyHtml: '<p>1</p>' }, { subject: 'Two', bodyHtml: '<p>2</p>', wait: { value: 1, unit: 'days' } }], mailboxIds: [b.mailboxId] })
    const c = await b.t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: b.objectId })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [c.id] })
    await b.idle()
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['One'])
    await b.t.ok('contacts.update', { id: c.id, status: 'unsubscribed' })
    const [e] = await execs(b.t, a.id)
    expect(e).toMatchObject({ status: 'SKIPPED', error: 'The contact unsubscribed' })
    expect(await b.t.ok('outbox.get', { id: e!.outboundId! })).toMatchObject({ status: 'skipped' })
    expect((await b.t.ok('sequences.contacts', { sequenceId: seq.id })).items[0]).toMatchObject({ status: 'unsubscribed' })
    await b.advance(2 * DAY)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['One'])
    expect(await ar(b.t, a.id)).toMatchObject({ totalSkipped: 1, totalSent: 0 })
  })

  it('an inactive autoresponder does not fire; update and delete work', async () => {
    const b = await automationEngine()
    const { tag, ar: a } = await tagTrigger(b, { isActive: false })
    const c = await b.t.ok('contacts.create', { email: 'ann@client.test', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    expect(await execs(b.t, a.id)).toHaveLength(0)
    const up = await b.t.ok('autoresponders.update', { id: a.id, isActive: true, actions: [{ subject: 'New', bodyHtml: '<p>n</p>' }] })
    expect(up).toMatchObject({ isActive: true, actions: [{ position: 1, subject: 'New' }] })
    expect(await b.t.err('autoresponders.update', { id: a.id, actions: [{ subject: 'x', bodyHtml: '{{nope}}' }] })).toMatchObject({ field: 'actions.0.bodyHtml' })
    const later = await b.t.ok('autoresponders.create', { name: 'Later', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'L', bodyHtml: '<p>l</p>', delay: { value: 1, unit: 'days' } }] })
    const d = await b.t.ok('contacts.create', { email: 'dan@client.test', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [d.id], tagId: tag.id })
    const [waiting] = await execs(b.t, later.id)
    await b.t.ok('autoresponders.delete', { id: later.id })
    expect(await b.t.ok('outbox.get', { id: waiting!.outboundId! })).toMatchObject({ status: 'cancelled', statusReason: 'The autoresponder was deleted' })
    expect(await b.t.ok('autoresponders.delete', { id: a.id })).toEqual({ id: a.id, deleted: true })
    expect(await b.t.err('autoresponders.executions', { autoresponderId: a.id })).toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('date triggers', () => {
  it('fire on the date, once, and catch up on the days the app was closed', async () => {
    // 2026-01-05 09:00 UTC is 04:00 in New York.
    const b = await automationEngine()
    const a = await b.t.ok('autoresponders.create', {
      name: 'Renewal reminder',
      objectId: b.objectId,
      trigger: { type: 'DATE_BASED', field: 'renewal', offsetDays: -3 },
      actions: [{ subject: 'Renewal on {{date contact.fields.renewal "iso"}}', bodyHtml: '<p>Soon</p>' }],
    })
    const mk = (email: string, renewal: string) => b.t.ok('contacts.create', { email, primaryObjectId: b.objectId, fields: { renewal } })
    await mk('today@client.test', '2026-01-08') // fires 2026-01-05
    await mk('in2@client.test', '2026-01-10') // fires 2026-01-07
    await mk('in3@client.test', '2026-01-11') // fires 2026-01-08
    await mk('past@client.test', '2025-12-01') // long gone: never
    await b.idle()
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["today@client.test"]'])
    b.t.engine.automation.runDue()
    await b.idle()
    expect(b.stub.sent).toHaveLength(1)
    // Added after today's check with today's date: still today's message, once.
    await mk('late@client.test', '2026-01-08')
    await b.idle()
    b.t.engine.automation.runDue()
    await b.idle()
    expect(b.stub.sent.map((r) => r.toJson)).toEqual(['["today@client.test"]', '["late@client.test"]'])
    b.stub.sent.splice(1)
    // Closed for three days: the check catches up on the 7th and the 8th.
    await b.advance(3 * DAY)
    expect(b.stub.sent.map((r) => r.subject)).toEqual(['Renewal on 2026-01-08', 'Renewal on 2026-01-10', 'Renewal on 2026-01-11'])
    expect(await execs(b.t, a.id)).toHaveLength(4)
  })
})
