// What people write (compose, drafts, replies, templates) goes through the same sanitiser as incoming mail
// before it is stored or sent; templates keep their Handlebars exactly; data: images travel as cid parts.
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { cleanOutgoingHtml, cleanTemplateHtml, inlineDataImages, mustacheInTag } from '../src/main/engine/outbound/outgoingHtml'
import { buildMime } from '../src/main/engine/outbound/smtp'
import { startFakeMailgun } from './fakes/mailgunFake'
import { automationEngine } from './automationSetup'
import { freshEngine } from './helpers'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const HOSTILE =
  '<p onclick="steal()">Hello <b>Ann</b><script>alert(1)</script><a href="javascript:alert(2)">x</a>' +
  '<img src="x" onerror="steal()"><iframe src="https://evil.test"></iframe><style>@import url(https://evil.test/x.css)</style></p>'

describe('cleanOutgoingHtml', () => {
  it('removes what could run and keeps what a writer wrote: marks, links, remote and data: images', () => {
    const out = cleanOutgoingHtml(HOSTILE + `<p><a href="https://bloom.test">site</a> <img src="https://cdn.test/logo.png" alt="logo"> <img src="data:image/png;base64,${PNG}" alt="dot"></p>`)
    expect(out).not.toMatch(/script|onclick|onerror|javascript:|iframe|@import|steal/)
    expect(out).toContain('Hello <b>Ann</b>')
    expect(out).toContain('href="https://bloom.test/"') // normalised as a browser would resolve it
    expect(out).toContain('src="https://cdn.test/logo.png"')
    expect(out).toContain(`src="data:image/png;base64,${PNG}"`)
  })
})

describe('cleanTemplateHtml', () => {
  it('keeps every mustache byte for byte, in text and in attributes', () => {
    const t = '<p>Hi {{default contact.first_name "Tom & Jerry"}}, {{#if contact.company}}at {{contact.company}}{{/if}} <a href="{{unsubscribe_url}}">stop</a></p>'
    expect(cleanTemplateHtml(t)).toBe(t.replace('<a href="{{unsubscribe_url}}">', '<a href="{{unsubscribe_url}}" target="_blank" rel="noopener noreferrer">'))
  })

  it('keeps a mustache that is a whole link or part of one through the URL checks of the hardened sanitiser', () => {
    const out = cleanTemplateHtml('<p><a href="{{unsubscribe_url}}">stop</a> <a href="https://shop.test/o/{{contact.id}}">order</a> <img src="{{object.logo_url}}" alt="logo"></p>')
    expect(out).toContain('href="{{unsubscribe_url}}"')
    expect(out).toContain('href="https://shop.test/o/{{contact.id}}"')
    expect(out).toContain('src="{{object.logo_url}}"')
  })

  it('stores a triple-stash as an escaped variable, so no contact data is ever printed as raw HTML', () => {
    expect(cleanTemplateHtml('<p>{{{contact.fields.bio}}} and {{{ contact.company }}}</p>')).toBe('<p>{{contact.fields.bio}} and {{ contact.company }}</p>')
  })

  it('reads quotes escaped inside a mustache as the quotes Handlebars needs', () => {
    expect(cleanTemplateHtml('<p>Hi {{default contact.first_name &quot;there&quot;}},</p>')).toBe('<p>Hi {{default contact.first_name "there"}},</p>')
  })
})

describe('mustacheInTag', () => {
  it('finds a variable a contact fills inside a tag, not one in text or the engine’s own unsubscribe link', () => {
    expect(mustacheInTag('<p>Hi {{contact.first_name}}</p>')).toBe(false)
    expect(mustacheInTag('<p><a href="{{unsubscribe_url}}">stop</a> {{contact.first_name}}</p>')).toBe(false)
    expect(mustacheInTag('<p><a href="{{contact.fields.site}}">site</a></p>')).toBe(true)
    expect(mustacheInTag('<p><a href="{{unsubscribe_url}}">stop</a><img alt="{{contact.company}}"></p>')).toBe(true)
  })
})

describe('the engine cleans before it stores or sends', () => {
  it('drafts.save stores sanitised HTML', async () => {
    const { t, profileId } = await automationEngine()
    const d = await t.ok('drafts.save', { profileId, to: ['ann@client.test'], cc: [], subject: 'Hi', html: HOSTILE })
    expect(d.html).not.toMatch(/script|onclick|onerror|javascript:|iframe|steal/)
    expect(d.html).toContain('Hello <b>Ann</b>')
    expect((await t.ok('drafts.get', { id: d.id })).html).toBe(d.html)
  })

  it('mail.send queues sanitised HTML, and the text alternative comes from it', async () => {
    const { t, profileId } = await automationEngine()
    const out = await t.ok('mail.send', { profileId, to: ['ann@client.test'], subject: 'Hi', html: HOSTILE + '<ol><li>one</li><li>two</li></ol>' })
    const row = await t.ok('outbox.get', { id: out.id })
    expect(row.html).not.toMatch(/script|onclick|onerror|javascript:|iframe|steal/)
    expect(row.text).toBe('Hello Annx\n\n1. one\n2. two')
  })

  it('an autoresponder body is stored cleaned, and the fallback helper written with escaped quotes saves', async () => {
    const { t } = await automationEngine()
    const tag = await t.ok('tags.create', { name: 'Spring' })
    const ar = await t.ok('autoresponders.create', {
      name: 'Welcome',
      trigger: { type: 'TAG_ADDED', tagId: tag.id },
      actions: [{ subject: 'Hi', bodyHtml: `<p>Hi {{default contact.first_name &quot;there&quot;}},</p>${HOSTILE}`, delay: { value: 0, unit: 'minutes' } }],
    })
    expect(ar.actions[0]!.bodyHtml).toMatch(/^<p>Hi \{\{default contact\.first_name "there"\}\},<\/p>/)
    expect(ar.actions[0]!.bodyHtml).not.toMatch(/script|onclick|onerror|javascript:|iframe|steal/)
  })

  it('a sequence step body is stored cleaned with its variables intact', async () => {
    const { t, objectId, mailboxId } = await automationEngine()
    const s = await t.ok('sequences.create', {
      name: 'Spring',
      objectId,
      mailboxIds: [mailboxId],
      steps: [{ subject: 'Hi', bodyHtml: '<p onmouseover="x()">Hi {{contact.first_name}}</p><script>x()</script>', wait: { value: 0, unit: 'days' } }],
    })
    expect(s.steps[0]!.bodyHtml).toBe('<p>Hi {{contact.first_name}}</p>')
  })
})

describe('inline images', () => {
  it('become cid parts with content-hashed ids, one part per picture', () => {
    const html = `<p><img src="data:image/png;base64,${PNG}" alt="a"> and again <img alt="b" src="data:image/png;base64,${PNG}"></p>`
    const out = inlineDataImages(html)
    expect(out.attachments).toHaveLength(1)
    expect(out.html).not.toContain('data:')
    expect(out.html.match(/src="cid:([^"]+)"/g)).toHaveLength(2)
    expect(out.attachments[0]).toMatchObject({ contentType: 'image/png', contentDisposition: 'inline', cid: expect.stringMatching(/@switchboard$/) })
    expect(inlineDataImages(html)).toEqual(out) // the send and the Sent copy build the same bytes
  })

  it('are attached to the SMTP message the recipient gets', async () => {
    const { t, profileId, stub, idle } = await automationEngine()
    await t.ok('mail.send', { profileId, to: ['ann@client.test'], subject: 'Logo', html: `<p>Our logo: <img src="data:image/png;base64,${PNG}" alt="logo"></p>` })
    await idle()
    // The row exactly as the SMTP transport was handed it; buildMime is what it sends and appends to Sent.
    const mime = await buildMime(stub.sent[0]!)
    const parsed = await simpleParser(mime, { keepCidLinks: true })
    expect(mime.toString()).not.toContain('data:image')
    expect(parsed.attachments).toHaveLength(1)
    expect(parsed.attachments[0]!.contentType).toBe('image/png')
    expect(parsed.attachments[0]!.content.toString('base64')).toBe(PNG)
    expect(parsed.html).toContain(`cid:${parsed.attachments[0]!.cid}`)
  })

  it('are posted to Mailgun as inline files that the html names by filename', async () => {
    const fake = await startFakeMailgun({ apiKey: 'key-live-0123456789', domains: ['mg.bloom.test'] })
    try {
      const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
      const object = await t.ok('objects.create', { name: 'Bloom', timezone: 'Europe/London' })
      await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: 'mg.bloom.test', apiKey: 'key-live-0123456789', region: 'us', apiBaseUrl: fake.url })
      const profile = await t.ok('profiles.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom', transport: { kind: 'mailgun' } })
      await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Logo', html: `<p>Our logo: <img src="data:image/png;base64,${PNG}" alt="logo"></p>` })
      await t.engine.outbound.scheduler.idle()
      const sent = fake.sent[0]!
      const file = /^\[file (image-[0-9a-f]{8}\.png)\]$/.exec(sent.fields.inline?.[0] ?? '')?.[1]
      expect(file).toBeDefined()
      expect(sent.fields.html![0]).toContain(`src="cid:${file}"`)
      expect(sent.fields.html![0]).not.toContain('data:')
    } finally {
      await fake.close()
    }
  })
})
