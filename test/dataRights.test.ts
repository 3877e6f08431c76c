// GDPR (issue 18): a contact's export holds everything kept about them; an erase leaves their address nowhere in the
// data dir (database, WAL, attachments, exports, backups: every file is grepped), keeps other people's mail, and
// blocks the address from imports, new contacts and sends with words that say why.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshEngine } from './helpers'
import { AVA, AVA_NAME, BOB, filesContaining, readZip, richContact } from './dataRightsFixtures'

const opts = { outbound: { run: false, undoMs: 60_000, eventsPollMs: 0 }, inbound: { run: false } } as const

describe('contacts.export', () => {
  it('writes one zip with the contact, consent, notes, tasks, outbox, every message both ways, attachments and a summary', async () => {
    const t = freshEngine(opts)
    const { ava, sent, pdf } = await richContact(t)
    const r = await t.ok('contacts.export', { id: ava.id })
    expect(r.path.startsWith(join(t.dataDir, 'exports'))).toBe(true)
    expect(r.path).not.toContain('zephyr')
    expect(r).toMatchObject({ messages: 4, attachments: 1 })
    const zip = await readZip(r.path)
    expect([...zip.keys()].sort()).toEqual(['attachments/' + [...zip.keys()].find((k) => k.startsWith('attachments/'))!.slice(12), 'contact.json', 'messages.jsonl', 'summary.html'].sort())

    const record = JSON.parse(zip.get('contact.json')!.toString('utf8'))
    expect(record.contact).toMatchObject({ email: AVA, lastName: AVA_NAME, phone: '+15555550100', tags: [{ name: 'VIP' }] })
    expect(record.consent.current.map((c: { channel: string; status: string }) => `${c.channel}:${c.status}`)).toEqual(['email:granted', 'sms:revoked'])
    expect(record.consent.history).toHaveLength(3)
    expect(record.notes[0].text).toContain('Prefers mornings')
    expect(record.tasks[0].title).toBe('Call Ava back')
    expect(record.outbox).toHaveLength(1)
    expect(record.outbox[0]).toMatchObject({ id: sent.id, subject: `Offer for ${AVA_NAME}`, to: [AVA], status: 'queued' })
    expect(record.outbox[0].events.map((e: { type: string }) => e.type)).toContain('queued')

    const lines = zip.get('messages.jsonl')!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((m) => m.subject).sort()).toEqual(['Both of us', 'Invoice attached', 'Question about my booking', 'Re: Question about my booking'])
    expect(lines.filter((m) => m.direction === 'out')).toHaveLength(1)
    const withFile = lines.find((m) => m.subject === 'Invoice attached')
    expect(withFile.attachments[0]).toMatchObject({ filename: 'invoice.pdf', sha256: pdf.sha256 })
    expect(zip.get(withFile.attachments[0].file)!.equals(pdf.content!)).toBe(true)

    const html = zip.get('summary.html')!.toString('utf8')
    expect(html).toContain(`Data held about Ava ${AVA_NAME}`)
    expect(html).toContain('inbound:STOP')
    expect(html).toContain('Invoice attached')
    expect(html).toContain('4 (3 received, 1 sent)')

    const audit = await t.ok('audit.list', {})
    expect(audit.items[0]).toMatchObject({ action: 'contacts.export', detail: { contactId: ava.id, messages: 4, attachments: 1 } })
    expect(JSON.stringify(audit.items[0])).not.toMatch(/@|zephyr/i)
  })

  it('writes to a folder the user chose, and refuses a folder that does not exist', async () => {
    const t = freshEngine(opts)
    const { ava } = await richContact(t)
    const r = await t.ok('contacts.export', { id: ava.id, dir: t.dataDir })
    expect(existsSync(r.path) && r.path.startsWith(t.dataDir + '/contact-')).toBe(true)
    expect(await t.err('contacts.export', { id: ava.id, dir: join(t.dataDir, 'nope') })).toMatchObject({ code: 'VALIDATION', field: 'dir' })
    expect(await t.err('contacts.export', { id: 9999 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('contacts.erase', () => {
  it('leaves the address nowhere in the data dir, keeps the other contact’s mail, and blocks import, create and send', async () => {
    const t = freshEngine(opts)
    const { ctx, ava, bob, sent, profile, object } = await richContact(t)
    await t.ok('contacts.export', { id: ava.id })
    const before = await t.engine.backups.create('manual')
    // Before: the address is in the database or its WAL, the attachment file, the export and the backup.
    expect(filesContaining(t.dataDir, [AVA]).length).toBeGreaterThan(2)

    const preview = await t.ok('contacts.erasePreview', { id: ava.id })
    expect(preview).toMatchObject({ messages: 3, sharedMessages: 1, attachments: 1, outbox: 1, notes: 1, tasks: 1, consent: 3, addresses: 1, exports: 1, backups: 1, team: false })
    expect(await t.ok('contacts.erase', { id: ava.id })).toEqual({ erased: true })
    await t.engine.backups.idle() // the fresh snapshot is taken on its thread after the erase returns

    // Every file of the data dir: database, WAL, attachments, exports, backups.
    expect(filesContaining(t.dataDir, [AVA, AVA_NAME])).toEqual([])
    // The earlier snapshot was replaced by a fresh one (same name on a clock that stands still; its bytes are new).
    expect((await t.ok('backups.list', {})).backups.map((b) => b.id)).toEqual([before.name])

    expect(await t.err('contacts.get', { id: ava.id })).toMatchObject({ code: 'NOT_FOUND' })
    expect((await t.ok('contacts.get', { id: bob.id })).email).toBe(BOB)
    // Bob's mail stays; the mail he shared with Ava stays for him, with her cut out.
    const subjects = (ctx.sqlite.prepare('SELECT subject FROM messages ORDER BY id').pluck().all() as string[]).sort()
    expect(subjects).toEqual(['Bob alone', 'Both of us'])
    const shared = ctx.sqlite.prepare("SELECT m.cc_json AS cc, b.text FROM messages m JOIN message_bodies b ON b.message_id = m.id WHERE subject = 'Both of us'").get() as { cc: string; text: string }
    expect(shared.text).toBe('Bob and [erased] <[erased]> together')
    expect(ctx.sqlite.prepare('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get('"both of us"')).toBe(1)
    // The waiting send was withdrawn and blanked; its history keeps its shape.
    const row = ctx.sqlite.prepare('SELECT status, to_json AS toJson, subject, contact_id AS contactId FROM outbound_messages WHERE id = ?').get(sent.id)
    expect(row).toEqual({ status: 'cancelled', toJson: '[]', subject: '', contactId: null })

    // Blocked, in words.
    const imp = await t.ok('contacts.import', { csv: `email,first name\n${AVA},Ava\nnew.person@client.test,New`, objectId: object.id, tagIds: [] })
    expect(imp).toMatchObject({ imported: 1, skipped: 1 })
    expect(imp.errors[0]).toMatchObject({ row: 2, field: 'email' })
    expect(imp.errors[0]!.message).toContain('erased at the person’s request')
    const created = await t.err('contacts.create', { email: AVA.toUpperCase(), primaryObjectId: object.id })
    expect(created).toMatchObject({ code: 'CONFLICT', field: 'email' })
    expect(created.message).toContain('erased')
    const again = await t.ok('mail.send', { profileId: profile.id, to: [AVA], subject: 'Hello again', html: '<p>hi</p>' })
    expect(again.status).toBe('skipped')
    expect(again.statusReason).toContain('erased')

    // The audit line: counts, no address or name.
    const audit = (await t.ok('audit.list', { objectId: object.id })).items
    const line = audit.find((a) => a.action === 'contacts.erase')!
    expect(line.detail).toMatchObject({ contactId: ava.id, messages: 3, sharedMessages: 1 })
    expect(JSON.stringify(audit)).not.toMatch(/zephyr/i)
    expect(audit.map((a) => a.action)).toEqual(['contacts.import', 'contacts.erase', 'contacts.export'])
  })

  it('leaves no copy behind when a backup is being taken as the erase runs', async () => {
    const t = freshEngine(opts)
    const { ava } = await richContact(t)
    const inFlight = t.engine.backups.create('manual') // started before the erase, so it copies the person
    expect(await t.ok('contacts.erase', { id: ava.id })).toEqual({ erased: true })
    await inFlight
    await t.engine.backups.idle()
    expect((await t.ok('backups.list', {})).backups).toHaveLength(1)
    expect(filesContaining(t.dataDir, [AVA, AVA_NAME])).toEqual([])
  })

  it('is refused for a contact that does not exist', async () => {
    const t = freshEngine(opts)
    expect(await t.err('contacts.erase', { id: 42 })).toMatchObject({ code: 'NOT_FOUND' })
    expect(await t.err('contacts.erasePreview', { id: 42 })).toMatchObject({ code: 'NOT_FOUND' })
  })
})
