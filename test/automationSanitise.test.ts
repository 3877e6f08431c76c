// Mail the automations write goes out as clean as mail a person composes: a sequence step or an
// autoresponder body is sanitised like compose (no script, no handler), and a variable inside a tag (an
// href) is checked for every recipient, so a contact's field cannot become a javascript: link. Bulk sends
// from the template library follow the same rule.
import { describe, expect, it } from 'vitest'
import { automationEngine, type Biz } from './automationSetup'

const body = '<p onclick="x()">Hi {{contact.first_name}}</p><script>steal()</script><p><a href="{{contact.fields.site}}">your site</a></p>'
const evilSite = { site: 'javascript:alert(3)' }

async function htmlOfRows(b: Biz): Promise<string[]> {
  const rows = (await b.t.ok('outbox.list', {})).items
  return Promise.all(rows.map(async (r) => (await b.t.ok('outbox.get', { id: r.id })).html))
}
function expectClean(html: string) {
  expect(html).not.toMatch(/<script|steal\(\)/i)
  expect(html).not.toMatch(/<[^>]*\son(click|error)\s*=/i)
  expect(html).not.toMatch(/javascript:/i)
  expect(html).toContain('Hi Ann')
}

describe('automated mail is sanitised like composed mail', () => {
  it('a sequence step: no script or handler from the template, no javascript: link from a contact field', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', { name: 'S', objectId: b.objectId, mailboxIds: [b.mailboxId], steps: [{ subject: 'Hello', bodyHtml: body, wait: { value: 0, unit: 'days' } }] })
    const ann = await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: b.objectId, fields: evilSite })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [ann.id] })
    await b.idle()
    const html = await htmlOfRows(b)
    expect(html).toHaveLength(1)
    expectClean(html[0]!)
  })

  it('an autoresponder action', async () => {
    const b = await automationEngine()
    const tag = await b.t.ok('tags.create', { name: 'Leads' })
    await b.t.ok('autoresponders.create', { name: 'A', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Hi', bodyHtml: body }] })
    const ann = await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: b.objectId, fields: evilSite })
    await b.t.ok('contacts.addTag', { contactIds: [ann.id], tagId: tag.id })
    const html = await htmlOfRows(b)
    expect(html).toHaveLength(1)
    expectClean(html[0]!)
  })

  it('a bulk send from the library', async () => {
    const b = await automationEngine()
    const tpl = await b.t.ok('templates.create', { objectId: b.objectId, name: 'Link', subject: 'Hi', html: '<p>Hi {{contact.first_name}}</p><p><a href="{{contact.fields.site}}">your site</a></p>' })
    await b.t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: b.objectId, fields: evilSite })
    await b.t.ok('mail.sendMany', { profileId: b.profileId, templateId: tpl.id, recipients: [{ email: 'ann@client.test' }], idempotencyKey: 'link-1' })
    const html = await htmlOfRows(b)
    expect(html).toHaveLength(1)
    expectClean(html[0]!)
  })
})
