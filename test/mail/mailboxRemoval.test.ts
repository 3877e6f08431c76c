// Removing a mailbox whose sync is running, against real Dovecot: its worker stops, the copies of its mail go from this computer with their search rows and files, and the mail on
// the server is untouched. Only ned belongs to this file.
import { existsSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { attachmentPath } from '../../src/main/engine/inbound/attachmentFiles'
import { freshEngine } from '../helpers'
import { peek, rawWithPdf, server, status } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'

const COUNT = 30

function raw(i: number): string {
  const head = [`From: Client ${i} <client${i}@outside.test>`, `To: ${MAIL.users.ned.email}`, `Subject: Numbat order ${i}`, `Message-ID: <removal-${i}@outside.test>`, 'MIME-Version: 1.0']
  return rawWithPdf(head, i === 0 ? 'numbat order with the invoice' : `numbat order number ${i}`, i === 0 ? { filename: 'numbat.pdf', content: '%PDF-1.4 numbat invoice' } : null)
}

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox('ned', { deleteFolders: true })
  await withImap('ned', async (c) => {
    for (let i = 0; i < COUNT; i++) await c.append('INBOX', raw(i), [])
  })
}, 600_000)

describe('removing a mailbox (ned)', () => {
  it('stops its sync and removes its local mail, never the server’s', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 } })
    const object = await t.ok('objects.create', { name: 'Ned’s', timezone: 'Europe/London' })
    const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: MAIL.users.ned.email, minGapSeconds: 0, smtp: server('ned', MAIL.ports.smtp), imap: server('ned', MAIL.ports.imap) })
    await waitFor(async () => (await status(t, mailbox.id)).state === 'idle' && peek(t, 'SELECT id FROM messages').length === COUNT, { timeoutMs: 20_000, message: 'synced' })
    const sha = peek<{ sha256: string }>(t, "SELECT sha256 FROM attachments WHERE filename = 'numbat.pdf'")[0]!.sha256
    expect(existsSync(attachmentPath(t.dataDir, sha))).toBe(true)

    expect(await t.ok('mailboxes.delete', { id: mailbox.id })).toEqual({ id: mailbox.id, deleted: true })
    expect(peek(t, 'SELECT id FROM messages')).toHaveLength(0)
    expect(peek(t, "SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'numbat'")).toHaveLength(0)
    expect(peek(t, 'SELECT id FROM threads')).toHaveLength(0)
    expect(existsSync(attachmentPath(t.dataDir, sha))).toBe(false)
    expect(t.engine.inbound.sync.status(mailbox.id)).toBeNull()
    expect((await t.ok('sync.status', {})).map((s) => s.mailboxId)).not.toContain(mailbox.id)
    // The server keeps every message, unread.
    const onServer = await withImap('ned', async (c) => {
      const box = await c.mailboxOpen('INBOX', { readOnly: true })
      const unseen = (await c.search({ seen: false }, { uid: true })) || []
      return { exists: box.exists, unseen: unseen.length }
    })
    expect(onServer).toEqual({ exists: COUNT, unseen: COUNT })
  })
})
