import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freshEngine, objectWithMailbox, smtp } from './helpers'

describe('objects', () => {
  it('creates, lists with counts, updates and deletes', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Hana Beauty', postalAddress: '480 Sunset Blvd', timezone: 'America/Los_Angeles' })
    expect(o).toMatchObject({ name: 'Hana Beauty', timezone: 'America/Los_Angeles', contactCount: 0, mailgun: null })
    expect(t.events.map((e) => e.event)).toContain('objects.changed')
    const u = await t.ok('objects.update', { id: o.id, name: 'Hana Beauty LA' })
    expect(u.name).toBe('Hana Beauty LA')
    expect((await t.ok('objects.list', {})).map((x) => x.name)).toEqual(['Hana Beauty LA'])
    expect(await t.ok('objects.delete', { id: o.id })).toEqual({ id: o.id, deleted: true })
    expect(await t.err('objects.update', { id: o.id, name: 'x' })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('refuses duplicate names (case-insensitive) and deleting a business that still has contacts', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Moda' })
    expect(await t.err('objects.create', { name: 'MODA' })).toMatchObject({ code: 'CONFLICT', field: 'name' })
    await t.ok('contacts.create', { email: 'a@x.co', primaryObjectId: o.id })
    const e = await t.err('objects.delete', { id: o.id })
    expect(e.code).toBe('CONFLICT')
    expect(e.message).toContain('1 contacts')
  })
})

describe('mailgun settings', () => {
  it('stores the key sealed, never returns it, and keeps it when omitted on update', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve' })
    expect(await t.err('mailgun.upsert', { objectId: o.id, sendingDomain: 'mg.senovallc.com' })).toMatchObject({ field: 'apiKey' })
    const m = await t.ok('mailgun.upsert', { objectId: o.id, sendingDomain: 'MG.senovallc.com', apiKey: 'key-1234567890abcdef', region: 'eu' })
    expect(m).toMatchObject({ sendingDomain: 'mg.senovallc.com', region: 'eu', hasApiKey: true })
    expect(JSON.stringify(m)).not.toContain('key-1234567890abcdef')
    const again = await t.ok('mailgun.upsert', { objectId: o.id, sendingDomain: 'mg2.senovallc.com', region: 'us' })
    expect(again.hasApiKey).toBe(true)
    const db = readFileSync(join(t.dataDir, 'switchboard.db'))
    expect(db.includes('key-1234567890abcdef')).toBe(false)
    expect(await t.err('mailgun.upsert', { objectId: o.id, sendingDomain: 'not a domain' })).toMatchObject({ field: 'sendingDomain' })
    expect(await t.err('mailgun.upsert', { objectId: o.id, sendingDomain: 'mg.x.com', apiBaseUrl: 'ftp://x' })).toMatchObject({ field: 'apiBaseUrl' })
  })
})

describe('mailboxes', () => {
  it('creates with SMTP and IMAP, shows hasPassword only, and seals passwords at rest', async () => {
    const t = freshEngine()
    const o = await t.ok('objects.create', { name: 'Eve' })
    const mb = await t.ok('mailboxes.create', {
      objectId: o.id,
      email: 'Alice@Example.test',
      displayName: 'Alice',
      dailyCapacity: 5,
      minGapSeconds: 0,
      smtp: { ...smtp, secure: true, password: 'smtp-secret-pw' },
      imap: { host: '127.0.0.1', port: 1143, secure: 'none', user: 'alice@example.test', password: 'imap-secret-pw' },
    })
    expect(mb).toMatchObject({ email: 'alice@example.test', dailyCapacity: 5, smtp: { secure: 'tls', hasPassword: true }, imap: { port: 1143, hasPassword: true } })
    const text = JSON.stringify(await t.ok('mailboxes.list', { objectId: o.id }))
    expect(text).not.toContain('secret-pw')
    const db = readFileSync(join(t.dataDir, 'switchboard.db'))
    expect(db.includes('smtp-secret-pw') || db.includes('imap-secret-pw')).toBe(false)
    const updated = await t.ok('mailboxes.update', { id: mb.id, dailyCapacity: 9, imap: null })
    expect(updated).toMatchObject({ dailyCapacity: 9, imap: null })
    expect(await t.err('mailboxes.create', { objectId: o.id, email: 'alice@example.test', smtp })).toMatchObject({ code: 'CONFLICT', field: 'email' })
    expect(await t.err('mailboxes.create', { objectId: 999, email: 'b@example.test', smtp })).toMatchObject({ code: 'NOT_FOUND', field: 'objectId' })
  })

  it('says when this computer has no SMTP password for a mailbox (one shared by a teammate), until it is typed', async () => {
    const t = freshEngine()
    const { mailbox } = await objectWithMailbox(t)
    // A mailbox that arrived from another desktop of the workspace: its password never leaves that desktop.
    const db = new Database(join(t.dataDir, 'switchboard.db'))
    db.prepare("UPDATE mailboxes SET smtp_password_sealed = '' WHERE id = ?").run(mailbox.id)
    db.close()
    expect((await t.ok('mailboxes.list', { objectId: mailbox.objectId })).find((m) => m.id === mailbox.id)!.smtp.hasPassword).toBe(false)
    const typed = await t.ok('mailboxes.update', { id: mailbox.id, smtp: { ...smtp, password: 'typed-here' } })
    expect(typed.smtp.hasPassword).toBe(true)
  })

  it('cannot be deleted while a profile sends through it', async () => {
    const t = freshEngine()
    const { object, mailbox } = await objectWithMailbox(t)
    const p = await t.ok('profiles.create', { objectId: object.id, email: 'hello@eve.test', displayName: 'Eve', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    expect(await t.err('mailboxes.delete', { id: mailbox.id })).toMatchObject({ code: 'CONFLICT' })
    await t.ok('profiles.update', { id: p.id, transport: { kind: 'smtp', mailboxId: (await t.ok('mailboxes.create', { objectId: object.id, email: 'two@eve.test', smtp })).id } })
    expect(await t.ok('mailboxes.delete', { id: mailbox.id })).toEqual({ id: mailbox.id, deleted: true })
  })
})

describe('profiles and users', () => {
  it('only sends through its own object, and Mailgun needs settings first', async () => {
    const t = freshEngine()
    const a = await objectWithMailbox(t, 'A')
    const b = await t.ok('objects.create', { name: 'B' })
    expect(await t.err('profiles.create', { objectId: b.id, email: 'b@b.co', displayName: 'B', transport: { kind: 'smtp', mailboxId: a.mailbox.id } })).toMatchObject({
      code: 'VALIDATION',
      field: 'transport.mailboxId',
    })
    expect(await t.err('profiles.create', { objectId: b.id, email: 'b@b.co', displayName: 'B', transport: { kind: 'mailgun' } })).toEqual({
      code: 'VALIDATION',
      message: 'Business Mailgun not configured',
      field: 'transport.kind',
    })
    await t.ok('mailgun.upsert', { objectId: b.id, sendingDomain: 'mg.b.co', apiKey: 'key-abcdefgh' })
    const p = await t.ok('profiles.create', { objectId: b.id, email: 'hello@b.co', displayName: 'B', replyTo: 'help@b.co', transport: { kind: 'mailgun' } })
    expect(p).toMatchObject({ transport: { kind: 'mailgun' }, replyTo: 'help@b.co', isActive: true })
    expect((await t.ok('profiles.update', { id: p.id, isActive: false })).isActive).toBe(false)
    expect(await t.err('mailgun.remove', { objectId: b.id })).toMatchObject({ code: 'CONFLICT' })
  })

  it('keeps one mailbox and one sender profile per address in a business, on create and on edit', async () => {
    const t = freshEngine()
    const { object, mailbox } = await objectWithMailbox(t)
    const other = await objectWithMailbox(t, 'Bloom')
    const two = await t.ok('mailboxes.create', { objectId: object.id, email: 'two@eve.test', smtp })
    expect(await t.err('mailboxes.update', { id: two.id, email: mailbox.email })).toEqual({ code: 'CONFLICT', message: 'This object already has a mailbox for hello@eve.test', field: 'email' })
    // Its own address again is no clash; the same address in another business is fine.
    expect((await t.ok('mailboxes.update', { id: two.id, email: 'two@eve.test', displayName: 'Two' })).displayName).toBe('Two')
    expect(other.mailbox.email).toBe(mailbox.email)

    const smtpVia = (m: { id: number }) => ({ kind: 'smtp' as const, mailboxId: m.id })
    const p1 = await t.ok('profiles.create', { objectId: object.id, email: 'one@eve.test', displayName: 'One', transport: smtpVia(mailbox) })
    const p2 = await t.ok('profiles.create', { objectId: object.id, email: 'two@eve.test', displayName: 'Two', transport: smtpVia(mailbox) })
    const clash = { code: 'CONFLICT', message: 'This object already has a sender profile for one@eve.test', field: 'email' }
    expect(await t.err('profiles.create', { objectId: object.id, email: 'one@eve.test', displayName: 'Again', transport: smtpVia(mailbox) })).toEqual(clash)
    expect(await t.err('profiles.update', { id: p2.id, email: 'one@eve.test' })).toEqual(clash)
    expect((await t.ok('profiles.update', { id: p1.id, email: 'one@eve.test', displayName: 'Uno' })).displayName).toBe('Uno')
    await t.ok('profiles.create', { objectId: other.object.id, email: 'one@eve.test', displayName: 'One', transport: smtpVia(other.mailbox) })
    expect(await t.err('profiles.create', { objectId: 999, email: 'x@eve.test', displayName: 'X', transport: smtpVia(mailbox) })).toMatchObject({ code: 'NOT_FOUND', field: 'objectId' })
  })

  it('assigns profiles to users with one default', async () => {
    const t = freshEngine()
    const { object, mailbox } = await objectWithMailbox(t)
    const p1 = await t.ok('profiles.create', { objectId: object.id, email: 'one@eve.test', displayName: 'One', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const p2 = await t.ok('profiles.create', { objectId: object.id, email: 'two@eve.test', displayName: 'Two', transport: { kind: 'smtp', mailboxId: mailbox.id } })
    const u = await t.ok('users.create', { name: 'Sam', email: 'sam@eve.test' })
    expect(await t.err('users.create', { name: 'Sam 2', email: 'SAM@eve.test' })).toMatchObject({ code: 'CONFLICT' })
    await t.ok('profiles.assign', { userId: u.id, profileId: p1.id, isDefault: true })
    const after = await t.ok('profiles.assign', { userId: u.id, profileId: p2.id, isDefault: true })
    expect(after).toMatchObject({ profileIds: [p1.id, p2.id], defaultProfileId: p2.id })
    const removed = await t.ok('profiles.assign', { userId: u.id, profileId: p1.id, assigned: false })
    expect(removed.profileIds).toEqual([p2.id])
    expect(await t.err('profiles.assign', { userId: 99, profileId: p1.id })).toMatchObject({ code: 'NOT_FOUND', field: 'userId' })
  })
})
