// Defect 6 (issue 20): `{{default contact.first_name "there"}}`, typed into a message body exactly as the
// help panel shows it, reaches the engine HTML-escaped by the editor (`&quot;there&quot;`). Bodies must
// parse as subjects do, at save, preview and send, for autoresponders and sequences alike.
import { describe, expect, it } from 'vitest'
import { unescapeTags } from '../src/main/engine/automation/templates'
import { automationEngine } from './automationSetup'

// What the autoresponder and sequence editors send for the typed text
// 'Hi {{default contact.first_name "there"}},\n\nThanks from {{object.name}} & all of us.'
// (renderer lib/mailText.ts textToHtml escapes &, <, > and ").
const html = '<p>Hi {{default contact.first_name &quot;there&quot;}},</p>\n<p>Thanks from {{object.name}} &amp; all of us.</p>'

describe('template bodies written in the editors', () => {
  it('the editor escapes the quotes (the cause), and only the inside of tags is unescaped', () => {
    expect(unescapeTags(html)).toBe('<p>Hi {{default contact.first_name "there"}},</p>\n<p>Thanks from {{object.name}} &amp; all of us.</p>')
    expect(unescapeTags('<p>{{default contact.first_name&nbsp;<b>&#39;you&#39;</b>}} &quot;x&quot;</p>')).toBe(`<p>{{default contact.first_name 'you'}} &quot;x&quot;</p>`)
  })

  it('preview: body (HTML and text part) and subject both take the fallback', async () => {
    const { t, objectId } = await automationEngine()
    const c = await t.ok('contacts.create', { email: 'nameless@client.test', primaryObjectId: objectId })
    const p = await t.ok('templates.preview', { contactId: c.id, subject: 'Hello {{default contact.first_name "there"}}', html })
    expect(p.subject).toBe('Hello there')
    expect(p.html).toContain('<p>Hi there,</p>')
    expect(p.html).toContain('Eve Beauty &amp; all of us')
    expect(p.text).toContain('Hi there,')
    const named = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: objectId })
    expect((await t.ok('templates.preview', { contactId: named.id, subject: 'x', html })).html).toContain('<p>Hi Ann,</p>')
  })

  it('an autoresponder with that body saves and sends it', async () => {
    const b = await automationEngine()
    const tag = await b.t.ok('tags.create', { name: 'New' })
    await b.t.ok('autoresponders.create', { name: 'Hi', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Hey {{default contact.first_name "there"}}', bodyHtml: html }] })
    const c = await b.t.ok('contacts.create', { email: 'nameless@client.test', primaryObjectId: b.objectId })
    await b.t.ok('contacts.addTag', { contactIds: [c.id], tagId: tag.id })
    await b.idle()
    expect(b.stub.sent).toHaveLength(1)
    const sent = b.stub.sent[0]!
    expect(sent.subject).toBe('Hey there')
    expect(sent.html).toContain('<p>Hi there,</p>')
    expect(sent.text).toContain('Hi there,')
  })

  it('a sequence with that body saves and sends it', async () => {
    const b = await automationEngine()
    const seq = await b.t.ok('sequences.create', {
      name: 'Intro',
      objectId: b.objectId,
      mailboxIds: [b.mailboxId],
      steps: [{ subject: 'Hey {{default contact.first_name "there"}}', bodyHtml: html, wait: { value: 0, unit: 'days' } }],
    })
    const c = await b.t.ok('contacts.create', { email: 'nameless@client.test', primaryObjectId: b.objectId })
    await b.t.ok('sequences.enroll', { sequenceId: seq.id, contactIds: [c.id] })
    await b.idle()
    expect(b.stub.sent).toHaveLength(1)
    expect(b.stub.sent[0]!.subject).toBe('Hey there')
    expect(b.stub.sent[0]!.html).toContain('<p>Hi there,</p>')
    expect(b.stub.sent[0]!.text).toContain('Hi there,')
  })
})

describe('template syntax errors', () => {
  it('are said in words with the line, not the parser’s message', async () => {
    const { t, objectId } = await automationEngine()
    const c = await t.ok('contacts.create', { email: 'ann@client.test', firstName: 'Ann', primaryObjectId: objectId })
    const e = await t.err('templates.preview', { contactId: c.id, subject: 'x', html: '<p>ok</p>\n<p>{{default contact.first_name “there}}</p>' })
    expect(e).toMatchObject({ code: 'VALIDATION', field: 'html' })
    expect(e.message).toMatch(/^A \{\{…\}\} variable cannot be read on line 2/)
    expect(e.message).not.toMatch(/Parse error|Expecting/)
    const open = await t.err('templates.preview', { contactId: c.id, subject: 'x', html: '<p>{{#if contact.company}}Hi</p>' })
    expect(open.message).not.toMatch(/Parse error|Expecting/)
  })
})
