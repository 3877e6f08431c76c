// The shared hostile-MIME corpus (test/corpus/hostile-mime: 433 messages written by other projects, see its
// README) APPENDed to sam's INBOX and synced by the real engine from real Dovecot (issue 14). Asserted for the
// corpus as a whole, never per file: every message stored (or kept raw and marked), no crash, the engine
// answering objects.list throughout the sync, and nothing in any stored or shown HTML that runs, navigates,
// frames, posts or loads from the network. inboxHostile.test.ts beside it covers hand-made structural cases.
import { parseDocument } from 'htmlparser2'
import { beforeAll, expect, it } from 'vitest'
import { freshEngine } from '../helpers'
import { appendCorpus, hostileCorpus } from './hostileCorpus'
import { peek, server, status } from './inboxHelpers'
import { ensureMailServers, MAIL, resetMailbox, waitFor } from './servers'

const USER = 'sam' as const

beforeAll(async () => {
  await ensureMailServers()
  await resetMailbox(USER, { deleteFolders: true })
}, 600_000)

// What must never be in HTML we store or show, judged on the parsed tree (as a browser would build it), so an
// attribute's harmless text ("<img onerror=…" inside an alt) is not mistaken for markup.
const BANNED_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'form', 'input', 'button', 'textarea', 'select', 'meta', 'base', 'link', 'style', 'svg', 'math', 'video', 'audio', 'source', 'track'])
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'srcset', 'lowsrc', 'dynsrc', 'ping', 'data', 'codebase', 'cite'])
const RASTER_DATA = /^data:image\/(png|gif|jpe?g|webp|bmp|x-icon|avif);base64,/i
/** As the URL parser reads it: leading/trailing C0 controls and spaces dropped, tabs and newlines anywhere. */
const urlOf = (v: string) => v.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '')

/** An htmlparser2 node: elements have a name and attributes. */
interface Node {
  name?: string
  attribs?: Record<string, string>
  children: Node[]
}

function offences(html: string): string[] {
  const out: string[] = []
  const walk = (nodes: readonly Node[]) => {
    for (const n of nodes) {
      if (!n.name || !n.attribs) continue
      if (BANNED_TAGS.has(n.name)) out.push(`<${n.name}>`)
      for (const [name, value] of Object.entries(n.attribs)) {
        if (/^on/i.test(name)) out.push(`${name} handler`)
        if (name === 'style' && /url\s*\(|image-set|image\s*\(|@import|expression|\\/i.test(value)) out.push('CSS that loads')
        if (!URL_ATTRS.has(name)) continue
        const url = urlOf(value)
        if (/^(javascript|vbscript|livescript|data:text)/i.test(url)) out.push(`${name}=${url.slice(0, 20)}`)
        // Loaded without a click: only raster data: images may be there.
        if (name !== 'href' && !(name === 'src' && RASTER_DATA.test(url))) out.push(`remote ${name}`)
        if (name === 'href' && !/^(https?:\/\/|mailto:|tel:|#)/i.test(url)) out.push(`href=${url.slice(0, 20)}`)
      }
      walk(n.children ?? [])
    }
  }
  walk(parseDocument(html).children as unknown as Node[])
  return out
}

it('syncs the whole hostile corpus: all stored or kept raw and marked, the engine answering throughout, nothing dangerous in any sanitised HTML', async () => {
  const corpus = hostileCorpus()
  expect(corpus.length).toBe(433)
  const { appended, refused } = await appendCorpus(USER, corpus)
  // Dovecot refuses only what IMAP cannot carry; everything it took must come back.
  expect(refused.length, JSON.stringify(refused.slice(0, 5))).toBeLessThan(corpus.length / 20)

  const t = freshEngine({
    outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000 },
    inbound: { pollMs: 60_000, backoffBaseMs: 200, backoffMaxMs: 2_000 },
  })
  const object = await t.ok('objects.create', { name: 'Hostile corpus', timezone: 'Europe/London' })
  // The UI's probe: objects.list as fast as the loop turns, while the sync runs; each answer is counted with
  // how far the sync had got, so answers in the middle of it are told from answers before and after.
  const stored = () => peek<{ n: number }>(t, 'SELECT COUNT(*) AS n FROM messages')[0]!.n
  let probing = true
  const during: number[] = []
  let failures = 0
  const probe = (async () => {
    while (probing) {
      const r = await t.call('objects.list', {})
      if (!r.ok) failures++
      else during.push(stored())
      await new Promise((res) => setTimeout(res, 2))
    }
  })()
  const mailbox = await t.ok('mailboxes.create', {
    objectId: object.id,
    email: MAIL.users[USER].email,
    displayName: USER,
    minGapSeconds: 0,
    smtp: server(USER, MAIL.ports.smtp),
    imap: server(USER, MAIL.ports.imap),
  })
  await waitFor(() => stored() === appended.length, { timeoutMs: 240_000, intervalMs: 250, message: `all ${appended.length} messages stored` })
  await waitFor(async () => (await status(t, mailbox.id)).state === 'idle', { timeoutMs: 30_000 })
  probing = false
  await probe
  expect((await status(t, mailbox.id)).error).toBeNull()
  expect(failures).toBe(0)
  const midSync = during.filter((n) => n > 0 && n < appended.length)
  expect(midSync.length, `objects.list answers while the sync was under way (of ${during.length})`).toBeGreaterThanOrEqual(5)
  expect(new Set(midSync).size, 'answers at several points of the sync').toBeGreaterThanOrEqual(3)

  // Every message: stored with its body row; the unparsable ones raw and marked.
  const rows = peek<{ id: number; parseError: string | null; raw: number | null; hasHtml: number; state: string | null; safeHtml: string | null }>(
    t,
    `SELECT m.id, m.parse_error AS parseError, length(b.raw) AS raw, b.html IS NOT NULL AS hasHtml, b.safe_html_state AS state, b.safe_html AS safeHtml
     FROM messages m JOIN message_bodies b ON b.message_id = m.id`,
  )
  expect(rows.length).toBe(appended.length)
  for (const r of rows.filter((x) => x.parseError !== null)) expect(r.raw, `message ${r.id} marked but not kept raw`).toBeGreaterThan(0)
  // Every HTML body prepared at sync time (none left for messages.get to sanitise).
  const html = rows.filter((r) => r.hasHtml)
  expect(html.length).toBeGreaterThan(100)
  expect(html.filter((r) => r.state === null)).toEqual([])

  const bad: string[] = []
  for (const r of html) {
    if (r.safeHtml !== null) for (const o of offences(r.safeHtml)) bad.push(`stored ${r.id}: ${o}`)
  }
  // And what the reading pane gets, for every message (remote images not allowed).
  for (const r of rows) {
    const d = await t.ok('messages.get', { id: r.id })
    if (d.html !== null) for (const o of offences(d.html)) bad.push(`shown ${r.id}: ${o}`)
    if (d.htmlOmitted) expect(d.html).toBeNull()
  }
  expect(bad).toEqual([])

  // Still a working engine: an ordinary message after the storm flows through.
  await t.ok('mailboxes.sync', { mailboxId: mailbox.id })
  expect((await t.ok('objects.list', {})).length).toBe(1)
}, 400_000)
