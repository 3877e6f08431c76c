// A big first sync leaves sanitising HTML to the background pass (issue 23 item 1): against real Dovecot, a
// first pass at or over the threshold stores the list's fields and search words at once (the words of an
// HTML-only body included), messages.get never shows unsanitised HTML before the pass reaches a row, and
// the pass prepares every body afterwards. (The threshold is 1,000 messages; the test lowers it.)
import { beforeAll, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { peek, server, waitState } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor, withImap } from './servers'
import { prepareBody } from '../../src/main/engine/inbound/prepare'

const USER = 'amy' as const

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox(USER, { deleteFolders: true })
}, 600_000)

const head = (i: number, type: string) =>
  `From: Sender ${i} <sender${i}@example.test>\r\nTo: amy@example.test\r\nSubject: defer ${i}\r\nMessage-ID: <defer-${i}@example.test>\r\nDate: Mon, 5 Jan 2026 09:0${i}:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: ${type}\r\n\r\n`
const HOSTILE = '<p onclick="steal()">Hello <b>there</b><script>alert(1)</script><a href="javascript:alert(2)">x</a></p>'
const alternative = (i: number) =>
  head(i, 'multipart/alternative; boundary="b"') +
  `--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words of message ${i}\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${HOSTILE}\r\n--b--\r\n`
const htmlOnly = (i: number) => head(i, 'text/html; charset=utf-8') + `<div><p>Quarterly zephyrword${i} report</p>${HOSTILE}</div>\r\n`
const plain = (i: number) => head(i, 'text/plain; charset=utf-8') + `Just text ${i}\r\n`

it('defers only the sanitising: list, snippet and search are there at once, reading never shows raw HTML', () => {
  const m = { text: null, html: '<p>Quarterly <b>zephyr</b> report</p><script>x()</script>', raw: null }
  const now = prepareBody(m)
  const later = prepareBody(m, { deferHtml: true })
  expect(later).toMatchObject({ safeHtml: null, htmlState: null, htmlRemote: false })
  // What the list and search use is the same either way.
  expect(later.snippet).toBe(now.snippet)
  expect(later.htmlText).toBe(now.htmlText)
  // A body with a text part: nothing of the HTML is read now.
  expect(prepareBody({ text: 'Plain', html: '<p>x</p>', raw: null }, { deferHtml: true })).toEqual({ safeHtml: null, htmlState: null, htmlRemote: false, htmlText: null, snippet: 'Plain' })
})

it('a big first sync stores every message, searchable at once, and sanitises its HTML in the background afterwards', async () => {
  const sources = [alternative(1), alternative(2), alternative(3), htmlOnly(4), htmlOnly(5), plain(6), plain(7), plain(8)]
  await withImap(USER, async (c) => {
    for (const s of sources) await c.append('INBOX', Buffer.from(s))
  })
  const logs: string[] = []
  const t = freshEngine({ log: (m) => logs.push(m), outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, deferHtmlFrom: 5 } })
  const object = await t.ok('objects.create', { name: 'Defer', timezone: 'UTC' })
  const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: MAIL.users[USER].email, smtp: server(USER, MAIL.ports.smtp), imap: server(USER, MAIL.ports.imap) })
  const stored = () => peek<{ id: number; subject: string; snippet: string }>(t, 'SELECT id, subject, snippet FROM messages WHERE mailbox_id = ? ORDER BY id', mailbox.id)
  await waitFor(() => stored().length === sources.length, { timeoutMs: 60_000, message: 'every message stored' })
  await waitState(t, mailbox.id, 'idle', 60_000)

  // The words of an HTML-only body are searchable and make its snippet without waiting for the pass.
  const found = await t.ok('inbox.list', { query: 'zephyrword4' })
  expect(found.threads.map((th: { subject: string }) => th.subject)).toEqual(['defer 4'])
  expect(stored().find((r) => r.subject === 'defer 5')?.snippet).toMatch(/^Quarterly zephyrword5 report/)

  // Reading a message with HTML shows it sanitised, whether or not the pass got there first.
  const id = stored().find((r) => r.subject === 'defer 1')!.id
  const d = await t.ok('messages.get', { id })
  expect(d.html).toContain('<b>there</b>')
  expect(d.html).not.toMatch(/script|onclick|javascript:/i)

  // The background pass prepared the five HTML bodies the first sync left (none was sanitised while syncing).
  await t.engine.inbound.sync.backfillDone()
  await waitFor(() => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM message_bodies WHERE html IS NOT NULL AND safe_html_state IS NULL')[0]!.n === 0, {
    timeoutMs: 30_000,
    message: 'every HTML body prepared',
  })
  const background = logs.map((l) => /sanitised (\d+) stored message bodies in the background/.exec(l)).reduce((n, m) => n + (m ? Number(m[1]) : 0), 0)
  expect(background).toBe(5)
  const bodies = peek<{ safeHtml: string | null; state: string }>(t, 'SELECT safe_html AS safeHtml, safe_html_state AS state FROM message_bodies WHERE html IS NOT NULL')
  expect(bodies).toHaveLength(5)
  for (const b of bodies) {
    expect(b.state).toBe('ok')
    expect(b.safeHtml).toContain('<b>there</b>')
    expect(b.safeHtml).not.toMatch(/script|onclick|javascript:/i)
  }
}, 120_000)

it('new mail after the first sync is sanitised as it is stored (never deferred)', async () => {
  // A folder's first pass below the threshold, then one new message: both prepared while syncing.
  await resetMailbox(USER, { deleteFolders: true })
  await withImap(USER, async (c) => c.append('INBOX', Buffer.from(alternative(1))))
  const logs: string[] = []
  const t = freshEngine({ log: (m) => logs.push(m), outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 }, inbound: { pollMs: 60_000, deferHtmlFrom: 5 } })
  const object = await t.ok('objects.create', { name: 'Defer', timezone: 'UTC' })
  const mailbox = await t.ok('mailboxes.create', { objectId: object.id, email: MAIL.users[USER].email, smtp: server(USER, MAIL.ports.smtp), imap: server(USER, MAIL.ports.imap) })
  await waitState(t, mailbox.id, 'idle', 60_000)
  await withImap(USER, async (c) => c.append('INBOX', Buffer.from(htmlOnly(2))))
  await waitFor(() => peek(t, 'SELECT 1 FROM messages WHERE mailbox_id = ?', mailbox.id).length === 2, { timeoutMs: 60_000, message: 'new mail stored' })
  const states = peek<{ state: string | null }>(t, 'SELECT safe_html_state AS state FROM message_bodies ORDER BY message_id')
  expect(states.map((s) => s.state)).toEqual(['ok', 'ok'])
  expect(logs.some((l) => /in the background/.test(l))).toBe(false)
}, 120_000)
