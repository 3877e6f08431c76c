// Templates: strict Handlebars over the seeds' variables, the footer and List-Unsubscribe, preview.
import { describe, expect, it } from 'vitest'
import { automationEngine } from './automationSetup'

async function setup() {
  const b = await automationEngine()
  const contact = await b.t.ok('contacts.create', {
    email: 'ann@client.test',
    firstName: 'Ann',
    lastName: 'Lee',
    company: 'Lee & Co',
    primaryObjectId: b.objectId,
    fields: { city: 'Paris', renewal: '2026-03-01' },
  })
  return { ...b, contact }
}

describe('templates', () => {
  it('renders the snake_case variables, the footer, a text part and List-Unsubscribe', async () => {
    const { t, contact } = await setup()
    const p = await t.ok('templates.preview', {
      contactId: contact.id,
      subject: 'Hi {{contact.first_name}} from {{object.name}} & friends',
      html: '<p>Dear {{contact.full_name}} of {{contact.company}} in {{contact.fields.city}}, {{profile.display_name}} ({{profile.email}}) writes. <a href="{{unsubscribe_url}}">stop</a></p>',
    })
    expect(p.subject).toBe('Hi Ann from Eve Beauty & friends') // a subject is not HTML-escaped
    expect(p.html).toContain('Dear Ann Lee of Lee &amp; Co in Paris, Eve Beauty Team (hello@eve.test) writes.')
    expect(p.html).toContain('12 Rose Lane, Springfield')
    expect(p.html).toContain('href="mailto:hello@eve.test?subject=unsubscribe%20ann%40client.test"')
    expect(p.text).toContain('Dear Ann Lee of Lee & Co in Paris')
    expect(p.text).toContain('12 Rose Lane, Springfield')
    expect(p.text).not.toMatch(/<[a-z]/)
    expect(p.headers).toEqual({ 'List-Unsubscribe': '<mailto:hello@eve.test?subject=unsubscribe%20ann%40client.test>' })
  })

  it('{{business.*}} is the name the screens use for {{object.*}}: both render the business, in subject and body', async () => {
    const { t, contact } = await setup()
    const p = await t.ok('templates.preview', { contactId: contact.id, subject: '{{business.name}} / {{object.name}}', html: '<p>{{business.name}} at {{business.postal_address}}</p>' })
    expect(p.subject).toBe('Eve Beauty / Eve Beauty')
    expect(p.html).toContain('<p>Eve Beauty at 12 Rose Lane, Springfield')
    expect(await t.err('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>{{business.city}}</p>' })).toMatchObject({ code: 'VALIDATION', field: 'html' })
  })

  it('a variable the contact lacks is a VALIDATION error at preview, unless a default is given', async () => {
    const { t, contact } = await setup()
    const e = await t.err('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>{{contact.fields.zip}}</p>' })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'html' })
    expect(e.message).toContain('{{contact.fields.zip}}')
    const e2 = await t.err('templates.preview', { contactId: contact.id, subject: 'Call {{contact.phone}}', html: '<p>x</p>' })
    expect(e2).toMatchObject({ code: 'VALIDATION', field: 'subject' })
    const ok = await t.ok('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>{{default contact.fields.zip "no zip"}} {{default contact.phone "no phone"}}</p>' })
    expect(ok.html).toContain('no zip no phone')
  })

  it('formats dates in the object’s zone', async () => {
    const { t, contact } = await setup()
    const p = await t.ok('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>{{date contact.fields.renewal}} | {{date contact.fields.renewal "iso"}} | {{date}}</p>' })
    expect(p.html).toContain('1 March 2026 | 2026-03-01 | 5 January 2026')
  })

  it('unknown variables, helpers and syntax errors are refused at save, on the action’s field', async () => {
    const { t } = await setup()
    const base = { name: 'Welcome', trigger: { type: 'CONTACT_CREATED' as const } }
    const bad = async (subject: string, bodyHtml: string) => t.err('autoresponders.create', { ...base, actions: [{ subject: 'ok', bodyHtml: '<p>ok</p>' }, { subject, bodyHtml }] })
    expect(await bad('ok', '<p>{{contact.frist_name}}</p>')).toMatchObject({ code: 'VALIDATION', field: 'actions.1.bodyHtml' })
    expect(await bad('{{contact.first_name', '<p>x</p>')).toMatchObject({ code: 'VALIDATION', field: 'actions.1.subject' })
    expect(await bad('ok', '<p>{{shout contact.first_name}}</p>')).toMatchObject({ code: 'VALIDATION', field: 'actions.1.bodyHtml' })
    expect(await bad('ok', '<p>{{firstName}}</p>')).toMatchObject({ code: 'VALIDATION', field: 'actions.1.bodyHtml' })
    expect((await t.ok('autoresponders.list', {})).length).toBe(0)
  })

  it('an https unsubscribe page adds one-click List-Unsubscribe-Post', async () => {
    const { t, contact, objectId } = await setup()
    expect((await t.ok('objects.update', { id: objectId, unsubscribeUrl: ' https://eve.test/unsub ' })).unsubscribeUrl).toBe('https://eve.test/unsub')
    const p = await t.ok('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>Hello</p>' })
    expect(p.headers['List-Unsubscribe']).toBe(`<https://eve.test/unsub?email=ann%40client.test&c=${contact.id}>, <mailto:hello@eve.test?subject=unsubscribe%20ann%40client.test>`)
    expect(p.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    expect(p.html).toContain('href="https://eve.test/unsub?email=ann%40client.test&amp;c=')
    // Cleared (blank is null): back to the mailto, which is not one-click.
    expect((await t.ok('objects.update', { id: objectId, unsubscribeUrl: '' })).unsubscribeUrl).toBeNull()
    const q = await t.ok('templates.preview', { contactId: contact.id, subject: 'x', html: '<p>Hello</p>' })
    expect(q.headers['List-Unsubscribe']).toBe('<mailto:hello@eve.test?subject=unsubscribe%20ann%40client.test>')
    expect(q.headers['List-Unsubscribe-Post']).toBeUndefined()
  })

  it('an unsubscribe page must be an https address, refused on its field and nothing saved', async () => {
    const { t, objectId } = await setup()
    for (const bad of ['http://eve.test/unsub', 'eve.test/unsub', 'javascript:alert(1)', 'mailto:x@eve.test', `https://eve.test/${'a'.repeat(500)}`]) {
      expect(await t.err('objects.update', { id: objectId, unsubscribeUrl: bad })).toMatchObject({ code: 'VALIDATION', field: 'unsubscribeUrl' })
    }
    expect(await t.err('objects.create', { name: 'Other', unsubscribeUrl: 'ftp://x.test' })).toMatchObject({ code: 'VALIDATION', field: 'unsubscribeUrl' })
    const objects = await t.ok('objects.list', {})
    expect(objects.find((o) => o.id === objectId)?.unsubscribeUrl).toBeNull()
    expect(objects.map((o) => o.name)).not.toContain('Other')
  })

  it('a contact without a business cannot be previewed without a profile (the seed’s words)', async () => {
    const { t, profileId } = await setup()
    const c = await t.ok('contacts.create', { email: 'solo@client.test', firstName: 'Solo' })
    expect(await t.err('templates.preview', { contactId: c.id, subject: 'x', html: 'y' })).toMatchObject({ code: 'VALIDATION', message: 'Contact not assigned to any business', field: 'contactId' })
    expect((await t.ok('templates.preview', { contactId: c.id, profileId, subject: 'Hi {{contact.first_name}}', html: 'y' })).subject).toBe('Hi Solo')
  })
})
