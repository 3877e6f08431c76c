// Attachments, Bcc, reply drafts and signatures through the engine, with Mailgun's contract-faithful fake
// (issue 20). The real-server half (SMTP, forward, Sent copy) is test/mail/attachments.test.ts.
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ATTACHMENTS_MAX_BYTES } from '../src/shared/outbound'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'
import { leaveSending } from './outbound/db'
import { attachment, inboxRef, inboxSetup, msg, storeCtx } from './inboxFixtures'
import { storeMessages } from '../src/main/engine/inbound/store'
import { removeMissing } from '../src/main/engine/inbound/storeChanges'

const KEY = 'key-test-attachments'
const DOMAIN = 'mg.files.test'
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: [DOMAIN] })
})
afterEach(async () => {
  await fake.close()
})

async function setup(dataDir?: string) {
  const t = freshEngine({ dataDir, outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
  if (dataDir) return { t, profile: (await t.ok('profiles.list', {}))[0]! }
  const object = await t.ok('objects.create', { name: 'Files Inc', timezone: 'Europe/London' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: 'desk@files.test', displayName: 'Files desk', transport: { kind: 'mailgun' } })
  return { t, profile }
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64')
const storeFiles = (t: TestEngine) => readdirSync(join(t.dataDir, 'attachments'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile())

describe('attachments and Bcc over Mailgun', () => {
  it('sends each file as a multipart attachment field with its bytes, and Bcc as a field of its own', async () => {
    const { t, profile } = await setup()
    const pdf = randomBytes(40_000)
    const m = await t.ok('mail.send', {
      profileId: profile.id,
      to: ['ann@client.test'],
      bcc: ['boss@files.test'],
      subject: 'Files',
      html: '<p>Two files</p>',
      attachments: [
        { filename: 'quote.pdf', contentType: 'application/pdf', contentBase64: b64(pdf) },
        { filename: 'notes.txt', contentType: 'text/plain', contentBase64: b64('hi') },
      ],
    })
    await t.engine.outbound.scheduler.idle()
    expect(fake.sent).toHaveLength(1)
    const sent = fake.sent[0]!
    expect(sent.fields.bcc).toEqual(['boss@files.test'])
    expect(sent.fields['h:Bcc']).toBeUndefined()
    expect(sent.files.attachment!.map((f) => [f.filename, f.contentType])).toEqual([
      ['quote.pdf', 'application/pdf'],
      ['notes.txt', 'text/plain'],
    ])
    expect(sent.files.attachment![0]!.content.equals(pdf)).toBe(true)
    expect((await t.ok('outbox.get', { id: m.id })).attachments.map((a) => [a.filename, a.size])).toEqual([
      ['quote.pdf', 40_000],
      ['notes.txt', 2],
    ])
    // Stored once by content hash in the data dir, not as a blob in the outbox row.
    expect(storeFiles(t)).toHaveLength(2)
  })

  it('a transient failure and a retry send the files exactly once', async () => {
    const { t, profile } = await setup()
    fake.failNext(503, 1, { only: 'messages' })
    const m = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Retry', html: 'x', attachments: [{ filename: 'a.bin', contentBase64: b64('abc') }] })
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('retry_wait')
    t.clock.advance(20 * 60_000)
    t.engine.outbound.scheduler.wake()
    await t.engine.outbound.scheduler.idle()
    expect((await t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    expect(fake.sent).toHaveLength(1)
    expect(fake.sent[0]!.files.attachment!.map((f) => f.content.toString())).toEqual(['abc'])
  })

  it('after a crash mid-send that never reached Mailgun, the message goes once, with its files', async () => {
    const first = await setup()
    const m = await first.t.ok('mail.send', {
      profileId: first.profile.id,
      to: ['ann@client.test'],
      subject: 'Crash',
      html: 'x',
      sendAt: new Date(first.t.clock.now() + 3_600_000).toISOString(),
      attachments: [{ filename: 'a.txt', contentBase64: b64('after the crash') }],
    })
    leaveSending(first.t, m.id, first.t.clock.now() - 60_000)
    await first.t.engine.close()
    const second = await setup(first.t.dataDir)
    second.t.clock.advance(2 * 3_600_000)
    for (let i = 0; i < 100 && (await second.t.ok('outbox.get', { id: m.id })).status === 'sending'; i++) await new Promise((r) => setTimeout(r, 20))
    second.t.engine.outbound.scheduler.wake()
    await second.t.engine.outbound.scheduler.idle()
    expect((await second.t.ok('outbox.get', { id: m.id })).status).toBe('sent')
    expect(fake.sent).toHaveLength(1)
    expect(fake.sent[0]!.files.attachment!.map((f) => f.content.toString())).toEqual(['after the crash'])
  })

  it('refuses more than 25 MB of attachments in words, at upload and at send', async () => {
    const { t, profile } = await setup()
    const half = Buffer.alloc(13 * 1024 * 1024, 1)
    const a = await t.ok('drafts.attach', { filename: 'a.bin', contentBase64: b64(half) })
    const b = await t.ok('drafts.attach', { filename: 'b.bin', contentBase64: b64(half) })
    const err = await t.err('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Big', html: 'x', attachments: [{ attachmentId: a.id }, { attachmentId: b.id }] })
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'attachments' })
    expect(err.message).toMatch(/26\.0 MB; a message can carry 25 MB of attachments at most/)
    const one = await t.err('drafts.attach', { filename: 'huge.bin', contentBase64: b64(Buffer.alloc(ATTACHMENTS_MAX_BYTES + 3, 2)) })
    expect(one).toMatchObject({ code: 'VALIDATION', field: 'contentBase64' })
    expect(one.message).toMatch(/25 MB/)
    const draft = await t.err('drafts.save', { to: ['ann@client.test'], attachments: [{ attachmentId: a.id }, { attachmentId: b.id }] })
    expect(draft).toMatchObject({ code: 'VALIDATION', field: 'attachments' })
    expect((await t.ok('outbox.list', {})).items).toHaveLength(0)
  })
})

describe('drafts with files, Bcc and what they reply to', () => {
  it('keeps files and Bcc across saves, sends them, and undo brings them back', async () => {
    const t0 = freshEngine({ outbound: { undoMs: 10_000, eventsPollMs: 0, probeMs: 60_000 } })
    const object = await t0.ok('objects.create', { name: 'Files Inc', timezone: 'Europe/London' })
    await t0.ok('mailgun.upsert', { objectId: object.id, sendingDomain: DOMAIN, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
    const profile = await t0.ok('profiles.create', { objectId: object.id, email: 'desk@files.test', displayName: 'Files desk', transport: { kind: 'mailgun' } })
    const up = await t0.ok('drafts.attach', { filename: 'plan.pdf', contentType: 'application/pdf', contentBase64: b64('pdf bytes') })
    let d = await t0.ok('drafts.save', { profileId: profile.id, to: ['ann@client.test'], bcc: ['me@files.test'], subject: 'Plan', html: '<p>x</p>', attachments: [{ attachmentId: up.id }] })
    expect(d.attachments.map((a) => a.filename)).toEqual(['plan.pdf'])
    // The draft adopts the upload: the id the UI holds stays valid for every later save.
    expect(d.attachments[0]!.id).toBe(up.id)
    d = await t0.ok('drafts.save', { id: d.id, profileId: profile.id, to: ['ann@client.test'], bcc: ['me@files.test'], subject: 'Plan', html: '<p>x</p>', attachments: [{ attachmentId: up.id }] })
    expect(d.attachments.map((a) => a.id)).toEqual([up.id])
    // Later autosaves leave the files alone unless they name them.
    d = await t0.ok('drafts.save', { id: d.id, profileId: profile.id, to: ['ann@client.test'], bcc: ['me@files.test'], subject: 'Plan v2', html: '<p>y</p>' })
    expect(d).toMatchObject({ bcc: ['me@files.test'], subject: 'Plan v2' })
    expect(d.attachments.map((a) => a.filename)).toEqual(['plan.pdf'])
    const out = await t0.ok('drafts.send', { draftId: d.id })
    expect(out.bcc).toEqual(['me@files.test'])
    expect((await t0.ok('outbox.get', { id: out.id })).attachments.map((a) => a.filename)).toEqual(['plan.pdf'])
    const back = await t0.ok('outbox.undo', { id: out.id })
    expect(back).toMatchObject({ id: d.id, bcc: ['me@files.test'] })
    expect(back.attachments.map((a) => a.filename)).toEqual(['plan.pdf'])
    // Removing the file from the draft takes it off the draft only.
    const none = await t0.ok('drafts.save', { id: d.id, profileId: profile.id, to: ['ann@client.test'], attachments: [] })
    expect(none.attachments).toEqual([])
  })

  it('a missing file fails the message in words instead of sending it without', async () => {
    const { t, profile } = await setup()
    const m = await t.ok('mail.send', { profileId: profile.id, to: ['ann@client.test'], subject: 'Gone', html: 'x', attachments: [{ filename: 'gone.txt', contentBase64: b64('soon gone') }] })
    for (const f of storeFiles(t)) require('node:fs').rmSync(join(f.parentPath, f.name))
    await t.engine.outbound.scheduler.idle()
    const r = await t.ok('outbox.get', { id: m.id })
    expect(r).toMatchObject({ status: 'failed', errorKind: 'permanent' })
    expect(r.lastError).toMatch(/gone\.txt is missing from the data folder/)
    expect(fake.sent).toHaveLength(0)
  })
})

describe('signatures', () => {
  it('profiles keep a sanitised signature, listed with the profile', async () => {
    const { t, profile } = await setup()
    expect(profile.signatureHtml).toBe('')
    const p = await t.ok('profiles.update', { id: profile.id, signatureHtml: '<p>Bea <b>Smith</b><script>alert(1)</script></p><img src="x" onerror="alert(1)">' })
    expect(p.signatureHtml).toContain('<b>Smith</b>')
    expect(p.signatureHtml).not.toMatch(/script|onerror/)
    expect((await t.ok('profiles.list', {}))[0]!.signatureHtml).toBe(p.signatureHtml)
    const err = await t.err('profiles.update', { id: profile.id, signatureHtml: 'x'.repeat(100_001) })
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'signatureHtml' })
  })
})

describe('files shared with received mail', () => {
  it('a forward keeps the original’s file after the original is removed from the server', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 } })
    const { mailbox } = await inboxSetup(t)
    const { ctx } = storeCtx(t)
    const file = attachment('plan.pdf', 'PLAN BYTES')
    storeMessages(ctx, inboxRef(mailbox.id), [msg({ uid: 1, attachments: [file] })])
    const id = (ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = 1').get() as { id: number }).id
    const draft = await t.ok('drafts.save', { to: ['x@y.test'], replyTo: { messageId: id, mode: 'forward' } })
    expect(draft.attachments.map((a) => a.filename)).toEqual(['plan.pdf'])
    removeMissing(ctx, inboxRef(mailbox.id), [])
    expect(existsSync(join(t.dataDir, 'attachments', file.sha256.slice(0, 2), file.sha256))).toBe(true)
  })
})
