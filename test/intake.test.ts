// Web-form intake (issue 18 item 4): reading a form's fields, the safe-regex budget, the rules' contract,
// the preview (a read: the test engine fails any read that writes), and a rule running on newly stored mail
// once: contact created or filled in, tags added (autoresponders fire in the same transaction), message linked.
import { describe, expect, it } from 'vitest'
import { storeMessages } from '../src/main/engine/inbound/store'
import { formContact, formSource, readFields, htmlFormText, FIELDS_MAX } from '../src/main/engine/services/intakeForm'
import { unsafeRegex } from '../src/shared/intake'
import { freshEngine, type TestEngine } from './helpers'
import { addr, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'

const FORM = ['New submission from your website', '', 'Name: Ann Lee', 'Email: Ann.Lee@Client.test', 'Phone: +1 555 555 0100', 'Company: Lee & Co', 'Budget: $2,000', 'Message:', 'I would like a quote.', 'Thanks!', '', '--', 'Sent by WP Forms'].join('\n')

describe('reading a form', () => {
  it('reads Label: value lines, a message that continues on the next lines, and maps labels to contact fields', () => {
    const raw = readFields(FORM)
    expect(raw).toEqual([
      { label: 'Name', value: 'Ann Lee' },
      { label: 'Email', value: 'Ann.Lee@Client.test' },
      { label: 'Phone', value: '+1 555 555 0100' },
      { label: 'Company', value: 'Lee & Co' },
      { label: 'Budget', value: '$2,000' },
      { label: 'Message', value: 'I would like a quote.\nThanks!' },
    ])
    const { contact, fields } = formContact(raw, {})
    expect(contact).toEqual({
      email: 'ann.lee@client.test',
      firstName: 'Ann',
      lastName: 'Lee',
      phone: '+1 555 555 0100',
      company: 'Lee & Co',
      fields: { Budget: '$2,000', message: 'I would like a quote.\nThanks!' },
    })
    expect(fields.map((f) => f.target)).toEqual(['name', 'email', 'phone', 'company', 'custom:Budget', 'custom:message'])
  })

  it('reads an HTML table and a text table, decodes entities, and lets the rule map its own labels', () => {
    const html = '<table><tr><th>First name</th><td>Bo</td></tr><tr><td><b>Surname</b></td><td>O&#39;Neil</td></tr><tr><td>E-mail</td><td>bo@x.test</td></tr><tr><td>Treatment</td><td>Facial &amp; peel</td></tr></table>'
    expect(formSource('', html)).toContain('Surname\tO\'Neil')
    const { contact } = formContact(readFields(formSource(null, html)), { Treatment: 'company' })
    expect(contact).toMatchObject({ email: 'bo@x.test', firstName: 'Bo', lastName: "O'Neil", company: 'Facial & peel' })
    const text = formContact(readFields('| Name | Cy Park |\n| Email | cy@x.test |'), {}).contact
    expect(text).toMatchObject({ email: 'cy@x.test', firstName: 'Cy', lastName: 'Park' })
  })

  it('keeps values it cannot use as such in custom fields, ignores links, and can ignore a label', () => {
    const { contact, fields } = formContact(readFields('Email: not-an-address\nPhone: call me maybe\nhttps://site.test/x\nNotes: hi\nIP: 10.0.0.1'), { ip: 'ignore' })
    expect(contact.email).toBeNull()
    expect(contact.phone).toBe('')
    expect(contact.fields).toEqual({ Email: 'not-an-address', Phone: 'call me maybe', message: 'hi' })
    expect(fields.find((f) => f.label === 'IP')!.target).toBe('ignore')
  })

  it('stays bounded on hostile bodies: one endless line, thousands of fields, unclosed markup', () => {
    expect(readFields('Name: ' + 'a'.repeat(5_000_000))).toEqual([{ label: 'Name', value: expect.any(String) }])
    expect(readFields(Array.from({ length: 100_000 }, (_, i) => `Field ${i}: v`).join('\n'))).toHaveLength(FIELDS_MAX)
    expect(htmlFormText('<'.repeat(1_000_000))).toBe('')
    expect(htmlFormText('<td>' + 'x'.repeat(10) + '<'.repeat(300_000))).toBe('x'.repeat(10))
  })
})

describe('safe patterns', () => {
  it('accepts plain regexes and refuses the shapes that backtrack without end', () => {
    for (const ok of ['^New (lead|enquiry)', 'Form #\\d+ submitted', 'contact.*form', '(?:quote)? request', '[a-z]+ form']) expect(unsafeRegex(ok)).toBeNull()
    expect(unsafeRegex('(a+)+$')).toMatch(/group cannot repeat/)
    expect(unsafeRegex('(a|aa)*b')).toMatch(/group cannot repeat/)
    expect(unsafeRegex('(x){2,9}')).toMatch(/group cannot repeat/)
    expect(unsafeRegex('(a)\\1')).toMatch(/Back-references/)
    expect(unsafeRegex('foo(?=bar)')).toMatch(/Look-ahead/)
    expect(unsafeRegex('a.*b.*c.*d')).toMatch(/At most 2/)
    expect(unsafeRegex('([')).toMatch(/not a valid/)
    expect(unsafeRegex('x'.repeat(201))).toMatch(/200 characters/)
  })
})

async function setup() {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 }, intake: { run: false } })
  const base = await inboxSetup(t)
  const s = storeCtx(t)
  const tag = await t.ok('tags.create', { name: 'Holiday Form Submission' })
  return { t, ...base, s, tag }
}

/** Stores a form message through the store (second connection), then runs the engine's intake hook on it as the store would. */
function deliver(t: TestEngine, s: ReturnType<typeof storeCtx>, mailboxId: number, objectId: number, p: Parameters<typeof msg>[0]) {
  const m = msg({ from: addr('forms@site.test', 'Website'), subject: 'New form submission: Holiday offer', text: FORM, ...p })
  storeMessages(s.ctx, inboxRef(mailboxId), [m])
  const id = (s.ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = ? AND mailbox_id = ?').get(m.uid, mailboxId) as { id: number }).id
  t.engine.hooks.emit('messages.stored', { messageId: id, objectId })
  return id
}

const rule = (objectId: number, tagId: number) => ({ objectId, name: 'Website form', fromMatch: '@site.test', subjectMatch: 'form submission', tagIds: [tagId] })

describe('intake.rules', () => {
  it('checks rules at the contract: a condition is needed, regexes must be safe, tags and the business must exist', async () => {
    const { t, object, tag } = await setup()
    expect(await t.err('intake.rules.create', { objectId: object.id, name: 'x' })).toMatchObject({ code: 'VALIDATION', field: 'fromMatch' })
    expect(await t.err('intake.rules.create', { objectId: object.id, name: 'x', subjectMatch: '(a+)+', subjectMode: 'regex' })).toMatchObject({ code: 'VALIDATION', field: 'subjectMatch' })
    expect(await t.err('intake.rules.create', { objectId: object.id, name: 'x', fromMatch: 'not an address' })).toMatchObject({ code: 'VALIDATION', field: 'fromMatch' })
    expect(await t.err('intake.rules.create', { ...rule(object.id, 999), name: 'x' })).toMatchObject({ code: 'NOT_FOUND', field: 'tagIds' })
    expect(await t.err('intake.rules.create', { ...rule(999, tag.id) })).toMatchObject({ code: 'NOT_FOUND', field: 'objectId' })
    const r = await t.ok('intake.rules.create', rule(object.id, tag.id))
    expect(r).toMatchObject({ enabled: true, fromMatch: '@site.test', subjectMode: 'contains', tagIds: [tag.id], handled: 0 })
    // Switching a kept pattern to regex checks it too.
    await t.ok('intake.rules.update', { id: r.id, subjectMatch: '(x+)+' })
    expect(await t.err('intake.rules.update', { id: r.id, subjectMode: 'regex' })).toMatchObject({ code: 'VALIDATION', field: 'subjectMatch' })
    expect(await t.ok('intake.rules.update', { id: r.id, name: 'Renamed', subjectMatch: 'form' })).toMatchObject({ name: 'Renamed', subjectMatch: 'form' })
    expect(await t.ok('intake.rules.list', { objectId: object.id })).toHaveLength(1)
    expect(await t.ok('intake.rules.delete', { id: r.id })).toEqual({ id: r.id, deleted: true })
    expect(await t.err('intake.rules.delete', { id: r.id })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('previews a saved or unsaved rule against stored mail without writing (create, then update with only blanks filled)', async () => {
    const { t, s, object, mailbox, tag } = await setupWith()
    const id = deliverQuiet(s, mailbox.id, {})
    const r = await t.ok('intake.rules.create', rule(object.id, tag.id))
    const p = await t.ok('intake.rules.preview', { messageId: id, ruleId: r.id })
    expect(p.matches).toBe(true)
    expect(p.reasons).toEqual(['✓ Sender forms@site.test is @site.test', '✓ Subject matches “form submission”'])
    expect(p.contact).toMatchObject({ action: 'create', email: 'ann.lee@client.test', firstName: 'Ann', lastName: 'Lee' })
    expect(p.tags).toEqual([{ id: tag.id, name: 'Holiday Form Submission', added: true }])
    expect((await t.ok('contacts.list', {})).items).toHaveLength(0)
    const ann = await t.ok('contacts.create', { email: 'ann.lee@client.test', firstName: 'Annie', primaryObjectId: object.id })
    const p2 = await t.ok('intake.rules.preview', { messageId: id, rule: { ...rule(object.id, tag.id), subjectMatch: 'nope' } })
    expect(p2.matches).toBe(false)
    expect(p2.reasons[1]).toBe('✗ Subject does not match “nope”')
    expect(p2.contact).toMatchObject({ action: 'update', contactId: ann.id })
    // Annie stays Annie: a form fills blanks only.
    expect(p2.contact.changes.map((c) => c.field)).toEqual(['lastName', 'phone', 'company', 'custom:Budget', 'custom:message'])
    expect(await t.err('intake.rules.preview', { messageId: 999_999, ruleId: r.id })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('turns a matching new message into a tagged contact once, fires the tag’s autoresponder, and links the message', async () => {
    const { t, s, object, mailbox, tag } = await setup()
    const ar = await t.ok('autoresponders.create', { name: 'Thanks', trigger: { type: 'TAG_ADDED', tagId: tag.id }, actions: [{ subject: 'Thanks {{contact.first_name}}', bodyHtml: '<p>Hi</p>' }] })
    const r = await t.ok('intake.rules.create', rule(object.id, tag.id))
    const id = deliver(t, s, mailbox.id, object.id, {})
    const [c] = (await t.ok('contacts.list', {})).items
    expect(c).toMatchObject({ email: 'ann.lee@client.test', firstName: 'Ann', lastName: 'Lee', phone: '+15555550100', company: 'Lee & Co', primaryObjectId: object.id })
    expect(c!.tags.map((x) => x.name)).toEqual(['Holiday Form Submission'])
    expect(c!.fields).toMatchObject({ Budget: '$2,000' })
    expect(await t.ok('autoresponders.executions', { autoresponderId: ar.id })).toHaveLength(1)
    // A phone the business's country cannot read stays with the contact as a custom field: the submission is kept.
    deliver(t, s, mailbox.id, object.id, { uid: 77, messageId: '<typo@site.test>', text: FORM.replace('Ann.Lee@Client.test', 'bo@client.test').replace('+1 555 555 0100', '555 01') })
    const bo = (await t.ok('contacts.list', { query: 'bo@client.test' })).items[0]
    expect(bo).toMatchObject({ phone: '', fields: expect.objectContaining({ phone: '555 01' }) })
    expect((await t.ok('messages.get', { id })).contactIds).toContain(c!.id)
    // The same message again (a second hook call) and a second copy (same Message-ID, another uid) change nothing.
    t.engine.hooks.emit('messages.stored', { messageId: id, objectId: object.id })
    const mid = (s.ctx.sqlite.prepare('SELECT message_id AS m FROM messages WHERE id = ?').get(id) as { m: string }).m
    deliver(t, s, mailbox.id, object.id, { messageId: mid })
    expect((await t.ok('contacts.list', {})).items).toHaveLength(2)
    expect(await t.ok('autoresponders.executions', { autoresponderId: ar.id })).toHaveLength(2)
    expect(s.ctx.sqlite.prepare('SELECT outcome FROM intake_processed ORDER BY message_id').pluck().all()).toEqual(['created', 'created', 'duplicate'])
    expect((await t.ok('intake.rules.list', {}))[0]).toMatchObject({ id: r.id, handled: 2 })
    const p = await t.ok('intake.rules.preview', { messageId: id, ruleId: r.id })
    expect(p.handled).toMatchObject({ outcome: 'created', contactId: c!.id })
  })

  it('enrols the contact in the rule’s sequence, and a rule switched off does nothing', async () => {
    const { t, s, object, mailbox, tag } = await setup()
    const seq = await t.ok('sequences.create', {
      name: 'Welcome',
      objectId: object.id,
      mailboxIds: [mailbox.id],
      steps: [{ subject: 'Welcome {{contact.first_name}}', bodyHtml: '<p>Hi</p>', wait: { value: 0, unit: 'days' as const } }],
    })
    const r = await t.ok('intake.rules.create', { ...rule(object.id, tag.id), sequenceId: seq.id })
    const p = await t.ok('intake.rules.preview', { messageId: deliverQuiet(s, mailbox.id, {}), ruleId: r.id })
    expect(p.sequence).toEqual({ id: seq.id, name: 'Welcome' })
    deliver(t, s, mailbox.id, object.id, {})
    const [member] = (await t.ok('sequences.contacts', { sequenceId: seq.id })).items
    expect(member).toMatchObject({ email: 'ann.lee@client.test' })
    await t.ok('intake.rules.update', { id: r.id, enabled: false })
    deliver(t, s, mailbox.id, object.id, { text: FORM.replace('Ann.Lee@Client.test', 'other@client.test') })
    expect((await t.ok('contacts.list', {})).items).toHaveLength(1)
  })

  it('leaves other mail, mail from before the rule, and forms without an address alone, saying why', async () => {
    const { t, s, object, mailbox, tag } = await setup()
    await t.ok('intake.rules.create', rule(object.id, tag.id))
    deliver(t, s, mailbox.id, object.id, { from: addr('ann@client.test'), subject: 'Hello' })
    deliver(t, s, mailbox.id, object.id, { date: t.clock.now() - 3 * 86_400_000 })
    deliver(t, s, mailbox.id, object.id, { text: 'Name: Nobody\nMessage: hi' })
    expect((await t.ok('contacts.list', {})).items).toHaveLength(0)
    expect(s.ctx.sqlite.prepare('SELECT outcome, detail FROM intake_processed ORDER BY message_id').all()).toEqual([
      { outcome: 'skipped', detail: 'Dated before the rule was made' },
      { outcome: 'skipped', detail: 'The form has no e-mail address, so there is no contact to create or update' },
    ])
  })

  it('gives hostile form bodies a clear outcome without stalling: huge, binary, odd encodings', async () => {
    const { t, s, object, mailbox, tag } = await setup()
    await t.ok('intake.rules.create', rule(object.id, tag.id))
    deliver(t, s, mailbox.id, object.id, { text: 'Email: big@x.test\n' + 'Name: ' + 'z'.repeat(3_000_000) })
    deliver(t, s, mailbox.id, object.id, { text: null, html: '<table>' + '<tr><td>'.repeat(200_000) })
    deliver(t, s, mailbox.id, object.id, { text: '\u0000\uFFFD\u202E'.repeat(100_000) + '\nE\u0301mail: odd@x.test' })
    const outcomes = s.ctx.sqlite.prepare('SELECT outcome FROM intake_processed ORDER BY message_id').pluck().all()
    expect(outcomes).toEqual(['created', 'skipped', 'skipped'])
    const [big] = (await t.ok('contacts.list', {})).items
    expect(big).toMatchObject({ email: 'big@x.test' })
    expect(big!.firstName.length).toBeLessThanOrEqual(120)
  })
})

describe('the store hands new mail to intake', () => {
  it('fires messages.stored for new inbound mail only (not our own, not Junk, not a copy seen before)', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 }, intake: { run: false } })
    const { mailbox } = await inboxSetup(t)
    const s = storeCtx(t)
    const seen: number[] = []
    s.ctx.hooks.on('messages.stored', ({ messageId }) => seen.push(messageId))
    const a = msg({ uid: 9001 })
    storeMessages(s.ctx, inboxRef(mailbox.id), [a, msg({ uid: 9002, from: addr('hello@eve.test') })])
    storeMessages(s.ctx, { ...inboxRef(mailbox.id), folder: 'Junk', quiet: true, folderRole: 'other' }, [msg({ uid: 9003 })])
    storeMessages(s.ctx, inboxRef(mailbox.id), [a])
    expect(seen).toHaveLength(1)
  })
})

// The preview test needs stored mail that intake did not see (no hook): the store's second connection has its own hooks.
async function setupWith() {
  return setup()
}
function deliverQuiet(s: ReturnType<typeof storeCtx>, mailboxId: number, p: Parameters<typeof msg>[0]): number {
  const m = msg({ from: addr('forms@site.test', 'Website'), subject: 'New form submission: Holiday offer', text: FORM, ...p })
  storeMessages(s.ctx, inboxRef(mailboxId), [m])
  return (s.ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = ? AND mailbox_id = ?').get(m.uid, mailboxId) as { id: number }).id
}
