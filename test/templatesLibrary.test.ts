// The template library (issue 18, seed 004): versions that never change, strict variables both ways, a text
// fallback, queued mail that keeps what it was written with, and a delete that asks while mail is waiting.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addBusiness, automationEngine } from './automationSetup'

const raw = (b: Awaited<ReturnType<typeof automationEngine>>) => new Database(join(b.t.dataDir, 'switchboard.db'))

async function setup() {
  const b = await automationEngine()
  const ann = await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', primaryObjectId: b.objectId })
  const tpl = await b.t.ok('templates.create', {
    objectId: b.objectId,
    name: 'Order shipped',
    subject: 'Order {{order_id}} is on its way, {{default contact.first_name "there"}}',
    html: '<p>Hi {{default contact.first_name &quot;there&quot;}}, order <b>{{order_id}}</b> left today. <a href="{{unsubscribe_url}}">Stop these</a></p>',
    variables: ['order_id'],
  })
  return { ...b, ann, tpl }
}

describe('template library', () => {
  it('saves versions: an edit appends one, get returns the latest or the one asked for, old ones never change', async () => {
    const { t, tpl } = await setup()
    expect(tpl.currentVersion).toBe(1)
    expect(tpl.version).toMatchObject({ version: 1, variables: ['order_id'], textAuto: true })
    // The editor's &quot; inside the braces is undone, and the sanitiser keeps the link to {{unsubscribe_url}}.
    expect(tpl.version.html).toContain('{{default contact.first_name "there"}}')
    expect(tpl.version.html).toContain('href="{{unsubscribe_url}}"')
    // Text fallback made from the HTML.
    expect(tpl.version.text).toContain('order {{order_id}} left today')
    expect(tpl.version.text).not.toMatch(/<[a-z]/)

    const v2 = await t.ok('templates.update', { id: tpl.id, html: '<p>Order {{order_id}} ships tomorrow.</p>' })
    expect(v2.currentVersion).toBe(2)
    expect(v2.version.html).toBe('<p>Order {{order_id}} ships tomorrow.</p>')
    expect(v2.versions.map((v) => v.version)).toEqual([2, 1])
    const v1 = await t.ok('templates.get', { id: tpl.id, version: 1 })
    expect(v1.version.html).toBe(tpl.version.html)
    expect(v1.currentVersion).toBe(2)
    // Renaming is not a new version; saving the same content is not one either.
    const renamed = await t.ok('templates.update', { id: tpl.id, name: 'Shipped', html: '<p>Order {{order_id}} ships tomorrow.</p>' })
    expect(renamed).toMatchObject({ name: 'Shipped', currentVersion: 2 })
    expect(await t.err('templates.get', { id: tpl.id, version: 7 })).toMatchObject({ code: 'NOT_FOUND', field: 'version' })
    // A typed text part is kept; null goes back to one made from the HTML.
    const typed = await t.ok('templates.update', { id: tpl.id, text: 'Order {{order_id}}: plain words.' })
    expect(typed.version).toMatchObject({ version: 3, text: 'Order {{order_id}}: plain words.', textAuto: false })
    const auto = await t.ok('templates.update', { id: tpl.id, text: null })
    expect(auto.version).toMatchObject({ version: 4, textAuto: true })
    expect(auto.version.text).toContain('Order {{order_id}} ships tomorrow.')
    expect((await t.ok('templates.list', { objectId: tpl.objectId })).map((x) => [x.name, x.currentVersion])).toEqual([['Shipped', 4]])
  })

  it('a version row cannot be rewritten, even by SQL', async () => {
    const b = await setup()
    const sqlite = raw(b)
    try {
      expect(() => sqlite.prepare("UPDATE template_versions SET html = 'x' WHERE template_id = ?").run(b.tpl.id)).toThrow(/immutable/)
    } finally {
      sqlite.close()
    }
  })

  it('strict variables: an unknown one is refused at save and at send, naming it', async () => {
    const { t, objectId, profileId, tpl, ann } = await setup()
    const e = await t.err('templates.create', { objectId, name: 'Bad', subject: 'Hi', html: '<p>Your code {{coupon}}</p>' })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'html' })
    expect(e.message).toContain('{{coupon}}')
    const e2 = await t.err('templates.update', { id: tpl.id, subject: 'Hi {{contact.frist_name}}' })
    expect(e2).toMatchObject({ code: 'VALIDATION', field: 'subject' })
    expect(e2.message).toContain('{{contact.frist_name}}')
    // Dropping a declared variable the body still uses is an unknown variable too.
    expect(await t.err('templates.update', { id: tpl.id, variables: [] })).toMatchObject({ code: 'VALIDATION' })
    expect(await t.err('templates.create', { objectId, name: 'Raw', subject: 'Hi', html: '<p>{{{order_id}}}</p>', variables: ['order_id'] })).toMatchObject({ field: 'html' })
    expect(await t.err('templates.create', { objectId, name: 'Shadow', subject: 'Hi', html: '<p>x</p>', variables: ['contact'] })).toMatchObject({ code: 'VALIDATION' })
    expect(await t.err('templates.create', { objectId, name: 'order shipped', subject: 'Hi', html: '<p>x</p>' })).toMatchObject({ code: 'CONFLICT', field: 'name' })

    // At send: a value for a variable the template does not declare.
    const s = await t.err('mail.sendMany', { profileId, templateId: tpl.id, idempotencyKey: 'k', recipients: [{ contactId: ann.id, variables: { order_id: '1', coupon: 'X' } }] })
    expect(s).toMatchObject({ code: 'VALIDATION', field: 'recipients.0.variables' })
    expect(s.message).toContain('“coupon”')
    const r = await t.err('templates.render', { templateId: tpl.id, contactId: ann.id, values: { order: '1' } })
    expect(r.message).toContain('“order”')
    // A declared variable with no value is named, never rendered blank.
    const m = await t.err('templates.render', { templateId: tpl.id, contactId: ann.id })
    expect(m.message).toContain('{{order_id}}')
    const ok = await t.ok('templates.render', { templateId: tpl.id, contactId: ann.id, values: { order_id: 'A-17' } })
    expect(ok.subject).toBe('Order A-17 is on its way, Ann')
    expect(ok.html).toContain('order <b>A-17</b> left today')
    expect(ok.html).toContain('Unsubscribe</a> from these emails') // the business footer
    expect(ok.text).toContain('order A-17 left today')
    expect(ok.headers['List-Unsubscribe']).toContain('mailto:hello@eve.test')
  })

  it('compose insert: rendered for the person in To (a contact, or an address alone), without the list footer', async () => {
    const { t, objectId, profileId } = await setup()
    const note = await t.ok('templates.create', { objectId, name: 'Note', subject: 'Hi {{default contact.first_name "there"}}', html: '<p>Thanks, {{default contact.first_name "there"}}.</p>' })
    const forAnn = await t.ok('templates.render', { templateId: note.id, profileId, email: 'ANN@client.test', footer: false })
    expect(forAnn).toEqual({ subject: 'Hi Ann', html: '<p>Thanks, Ann.</p>', text: 'Thanks, Ann.', headers: {} })
    const stranger = await t.ok('templates.render', { templateId: note.id, profileId, email: 'who@else.test', footer: false })
    expect(stranger.subject).toBe('Hi there')
    // With the footer (a bulk send's preview) the business's unsubscribe line and header are there.
    const full = await t.ok('templates.render', { templateId: note.id, profileId, email: 'ann@client.test' })
    expect(full.html).toContain('Unsubscribe</a>')
    expect(full.headers['List-Unsubscribe']).toBeTruthy()
  })

  it('queued mail keeps what it was rendered with and the version it pinned when the template changes', async () => {
    const { t, profileId, tpl, ann } = await setup()
    const at = new Date(Date.now() + 86_400_000 * 400).toISOString()
    const single = await t.ok('mail.send', { profileId, to: ['ann@client.test'], subject: 'Fixed', html: '<p>v1 words</p>', templateId: tpl.id, sendAt: at })
    const job = await t.ok('mail.sendMany', { profileId, templateId: tpl.id, idempotencyKey: 'ship-1', recipients: [{ contactId: ann.id, variables: { order_id: 'A-1' } }] })
    expect(job).toMatchObject({ queued: 1, version: 1 })
    const before = (await t.ok('outbox.list', {})).items.find((i) => i.source === 'bulk')!
    const html1 = (await t.ok('outbox.get', { id: before.id })).html
    await t.ok('templates.update', { id: tpl.id, subject: 'NEW {{order_id}}', html: '<p>Completely new {{order_id}}</p>' })
    const after = await t.ok('outbox.get', { id: before.id })
    expect(after.subject).toBe(before.subject)
    expect(after.subject).toBe('Order A-1 is on its way, Ann')
    expect(after.html).toBe(html1)
    expect((await t.ok('outbox.get', { id: single.id })).html).toContain('v1 words')
    // The job still names version 1; a new send uses version 2.
    expect((await t.ok('bulk.get', { id: job.id })).version).toBe(1)
    const job2 = await t.ok('mail.sendMany', { profileId, templateId: tpl.id, idempotencyKey: 'ship-2', recipients: [{ email: 'bo@client.test', variables: { order_id: 'B-2' } }] })
    expect(job2.version).toBe(2)
    // A pinned older version can still be sent.
    const job3 = await t.ok('mail.sendMany', { profileId, templateId: tpl.id, version: 1, idempotencyKey: 'ship-3', recipients: [{ email: 'cy@client.test', variables: { order_id: 'C-3' } }] })
    expect(job3.version).toBe(1)
  })

  it('a message written in compose from a template counts under it once sent; not when the sender moved to another business', async () => {
    const b = await setup()
    const { t, profileId, tpl } = b
    const draft = await t.ok('drafts.save', { profileId, to: ['ann@client.test'], subject: 'Your order', html: '<p>Shipped today</p>', templateId: tpl.id })
    expect(draft.templateId).toBe(tpl.id)
    // A later autosave that does not mention it keeps it.
    expect((await t.ok('drafts.save', { id: draft.id, profileId, to: ['ann@client.test'], subject: 'Your order!', html: '<p>Shipped today</p>' })).templateId).toBe(tpl.id)
    expect(await t.err('drafts.save', { id: draft.id, templateId: 9999 })).toMatchObject({ code: 'NOT_FOUND', field: 'templateId' })
    await t.ok('drafts.send', { draftId: draft.id })
    await b.idle()
    const range = { from: new Date(Date.now() - 400 * 86_400_000).toISOString(), to: new Date(Date.now() + 400 * 86_400_000).toISOString() }
    expect((await t.ok('analytics.summary', { ...range, templateId: tpl.id })).totals).toMatchObject({ sent: 1 })
    // The same template inserted, then the sender changed to another business: not counted under it.
    const other = await addBusiness(t, 'Other', 'desk@other.test')
    const d2 = await t.ok('drafts.save', { profileId: other.profileId, to: ['ann@client.test'], subject: 'Elsewhere', html: '<p>x</p>', templateId: tpl.id })
    await t.ok('drafts.send', { draftId: d2.id })
    await b.idle()
    expect((await t.ok('analytics.summary', { ...range, templateId: tpl.id })).totals).toMatchObject({ sent: 1 })
  })

  it('delete asks while mail from the template is waiting, then hides it; the queued mail still goes', async () => {
    const { t, profileId, tpl, objectId } = await setup()
    const at = new Date(Date.now() + 86_400_000 * 400).toISOString()
    const row = await t.ok('mail.send', { profileId, to: ['ann@client.test'], subject: 'Later', html: '<p>later</p>', templateId: tpl.id, sendAt: at })
    const e = await t.err('templates.delete', { id: tpl.id })
    expect(e).toMatchObject({ code: 'CONFLICT', field: 'confirm' })
    expect(e.message).toBe('1 message from “Order shipped” is still waiting to go out. They will still be sent as written. Delete the template anyway?')
    expect(await t.ok('templates.delete', { id: tpl.id, confirm: true })).toEqual({ id: tpl.id, deleted: true })
    expect(await t.ok('templates.list', { objectId })).toEqual([])
    expect(await t.err('templates.get', { id: tpl.id })).toMatchObject({ code: 'NOT_FOUND' })
    expect((await t.ok('outbox.get', { id: row.id })).status).toBe('queued')
    // The name is free again.
    await t.ok('templates.create', { objectId, name: 'Order shipped', subject: 'Hi', html: '<p>x</p>' })
  })
})
