// mail.sendMany (issue 18, seed 004): one row per recipient in one transaction, the suppression list applied
// through the outbox's own check, skipped recipients counted by reason, progress counted from the real rows,
// and analytics by template.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { automationEngine } from './automationSetup'

const day = 86_400_000

describe('bulk send', () => {
  it('1,000 recipients with 10 suppressed: 990 queued, 10 skipped by exact reason, preview equal to the send, progress and analytics from the rows', async () => {
    const b = await automationEngine({ cap: 5000 })
    const { t, objectId, profileId } = b
    const tpl = await t.ok('templates.create', { objectId, name: 'Spring offer', subject: 'Spring offer {{code}}', html: '<p>Hi {{default contact.first_name "there"}}, use {{code}} ({{region}}).</p>', variables: ['code', 'region'] })
    const other = await t.ok('templates.create', { objectId, name: 'Other', subject: 'Other', html: '<p>Other</p>' })
    const emails = Array.from({ length: 1000 }, (_, i) => `r${String(i).padStart(4, '0')}@list.test`)
    const db = new Database(join(t.dataDir, 'switchboard.db'))
    const sup = db.prepare('INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (?, ?, ?, 0)')
    emails.slice(0, 4).forEach((e) => sup.run(null, e, 'bounced'))
    emails.slice(4, 7).forEach((e) => sup.run(null, e, 'complained'))
    emails.slice(7, 10).forEach((e) => sup.run(objectId, e, 'unsubscribed'))
    db.close()
    const recipients = emails.map((email, i) => ({ email, variables: { code: `C${i}` } }))
    const input = { profileId, templateId: tpl.id, recipients, sharedVariables: { region: 'North' } }

    const preview = await t.ok('bulk.preview', input)
    expect(preview).toMatchObject({ requested: 1000, willQueue: 990, skipped: { bounced: 4, complained: 3, unsubscribed: 3 } })
    expect(preview.examples.map((e) => [e.recipient, e.reason])).toEqual(emails.slice(0, 10).map((e, i) => [e, i < 4 ? 'bounced' : i < 7 ? 'complained' : 'unsubscribed']))
    expect((await t.ok('outbox.list', {})).items).toHaveLength(0) // a preview writes nothing

    const job = await t.ok('mail.sendMany', { ...input, idempotencyKey: 'spring-2026' })
    expect(job).toMatchObject({ requested: 1000, queued: 990, skipped: { bounced: 4, complained: 3, unsubscribed: 3 }, templateName: 'Spring offer', version: 1 })
    expect(job.progress).toEqual({ pending: 990, sent: 0, failed: 0, skipped: 10, cancelled: 0 })
    const page = await t.ok('outbox.list', { limit: 1000 })
    expect(page.counts.queued).toBe(990)
    expect(page.counts.skipped).toBe(10)
    const one = await t.ok('outbox.get', { id: page.items.find((i) => i.to[0] === 'r0500@list.test')!.id })
    expect(one).toMatchObject({ subject: 'Spring offer C500', source: 'bulk' })
    expect(one.html).toContain('Hi there, use C500 (North).')
    expect(one.text).toContain('Hi there, use C500 (North).')
    expect(one.events.map((e) => e.type)).toEqual(['queued'])
    const skippedRow = page.items.find((i) => i.to[0] === 'r0000@list.test')!
    expect(skippedRow).toMatchObject({ status: 'skipped', statusReason: 'r0000@list.test is suppressed (bounced)' })

    await b.idle()
    const done = await t.ok('bulk.get', { id: job.id })
    expect(done.progress).toEqual({ pending: 0, sent: 990, failed: 0, skipped: 10, cancelled: 0 })
    expect(b.stub.sent.length).toBe(990)

    const range = { from: new Date(Date.now() - 400 * day).toISOString(), to: new Date(Date.now() + 400 * day).toISOString() }
    const byTpl = await t.ok('analytics.summary', { ...range, templateId: tpl.id })
    expect(byTpl.totals).toMatchObject({ sent: 990, skipped: 10, failed: 0 })
    expect((await t.ok('analytics.summary', { ...range, templateId: other.id })).totals).toMatchObject({ sent: 0, skipped: 0 })
    // Without the filter the dashboard still counts automated mail only (bulk is the library's).
    expect((await t.ok('analytics.summary', range)).totals.sent).toBe(0)
  }, 120_000)

  it('every other reason a recipient gets no message, counted exactly', async () => {
    const { t, objectId, profileId } = await automationEngine()
    const tpl = await t.ok('templates.create', { objectId, name: 'Invite', subject: 'Invite', html: '<p>Dear {{contact.first_name}}, table {{table}}</p>', variables: ['table'] })
    const ann = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: objectId })
    const noMail = await t.ok('contacts.create', { firstName: 'Nomail', phone: '+14155550100', primaryObjectId: objectId })
    const unsub = await t.ok('contacts.create', { email: 'un@client.test', firstName: 'Una', primaryObjectId: objectId })
    await t.ok('contacts.update', { id: unsub.id, status: 'unsubscribed' })
    const nameless = await t.ok('contacts.create', { email: 'nameless@client.test', primaryObjectId: objectId })
    const recipients = [
      { contactId: ann.id, variables: { table: '4' } },
      { email: 'ANN@client.test', variables: { table: '5' } }, // the same person again
      { contactId: noMail.id },
      { contactId: 999_999 },
      { email: 'not an address' },
      { contactId: unsub.id, variables: { table: '1' } },
      { contactId: nameless.id, variables: { table: '2' } }, // {{contact.first_name}} is empty
      { email: 'walkin@client.test', variables: { table: '9' } }, // no contact: contact variables are empty too
      { contactId: ann.id }, // listed twice (as a contact)
    ]
    const job = await t.ok('mail.sendMany', { profileId, templateId: tpl.id, recipients, idempotencyKey: 'inv' })
    expect(job.queued).toBe(1)
    expect(job.skipped).toEqual({ duplicate: 2, no_email: 1, unknown_contact: 1, invalid_email: 1, unsubscribed: 1, missing_variable: 2 })
    expect(job.progress).toEqual({ pending: 1, sent: 0, failed: 0, skipped: 8, cancelled: 0 })
    const why = Object.fromEntries(job.examples.map((e) => [e.recipient, e.detail]))
    expect(why['nameless@client.test']).toBe('{{contact.first_name}} has no value for nameless@client.test')
    expect(why['not an address']).toContain('not a valid email address')
    // Only the queued person and the unsubscribed one (a skipped row, through the outbox's check) have rows.
    expect((await t.ok('outbox.list', {})).items.map((i) => [i.to[0], i.status]).sort()).toEqual([
      ['ann@client.test', 'queued'],
      ['un@client.test', 'skipped'],
    ])
  })

  it('refuses a template of another business, a missing template and a value for an undeclared variable, in words', async () => {
    const { t, objectId, profileId } = await automationEngine()
    const biz2 = await t.ok('objects.create', { name: 'Bloom', timezone: 'Europe/London' })
    const foreign = await t.ok('templates.create', { objectId: biz2.id, name: 'Theirs', subject: 'Hi', html: '<p>x</p>' })
    const mine = await t.ok('templates.create', { objectId, name: 'Mine', subject: 'Hi', html: '<p>x</p>' })
    const base = { profileId, idempotencyKey: 'x', recipients: [{ email: 'a@b.test' }] }
    expect(await t.err('mail.sendMany', { ...base, templateId: foreign.id })).toMatchObject({ code: 'VALIDATION', field: 'templateId' })
    expect(await t.err('mail.sendMany', { ...base, templateId: 4242 })).toMatchObject({ code: 'NOT_FOUND', field: 'templateId' })
    const e = await t.err('mail.sendMany', { ...base, templateId: mine.id, sharedVariables: { promo: 'x' } })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'sharedVariables' })
    expect(e.message).toBe('Unknown variable “promo”: the template “Mine” does not use it (it declares no variables)')
    expect(await t.err('mail.sendMany', { ...base, templateId: mine.id, recipients: [] })).toMatchObject({ code: 'VALIDATION', field: 'recipients' })
    expect(await t.ok('bulk.list', {})).toEqual([])
  })
})
