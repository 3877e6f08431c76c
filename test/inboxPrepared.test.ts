// Issue 14: HTML is sanitised once, in the parse threads, and stored; opening a message only finishes the
// stored result. Bodies stored before migration 0010 are sanitised in a parse thread (never on the engine's),
// for a read without writing, and by a background pass that stores them. Replies quote the stored result.
import { describe, expect, it } from 'vitest'
import { scanWork } from '../src/main/engine/inbound/sanitize'
import { storeMessages } from '../src/main/engine/inbound/store'
import { parseSource } from '../src/main/engine/inbound/sync/parse'
import type { ParsedMessage } from '../src/main/engine/inbound/types'
import { freshEngine } from './helpers'
import { inboxRef, inboxSetup, storeCtx } from './inboxFixtures'

const HOSTILE_HTML =
  '<p onclick="x()">Hello <b>there</b></p><script>steal()</script>' +
  '<div style="background:u\\72l(https://t.test/bg.png);color:red">styled</div>' +
  '<img src="/\\t.test/pixel.gif" alt="px"><img src="https:t.test/b.png"><a href="javascript:x()">j</a>'

const source = (uid: number, html: string, extra = '') =>
  Buffer.from(
    `From: Shop <news@shop.test>\r\nTo: hello@eve.test\r\nSubject: Offer ${uid}\r\nMessage-ID: <offer-${uid}@shop.test>\r\n` +
      `Date: Mon, 5 Jan 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n${extra}\r\n${html}\r\n`,
  )

/** A message as the sync hands it to the store: parsed (and prepared) by parseSource, as in a parse thread. */
async function synced(uid: number, html: string): Promise<ParsedMessage> {
  const body = await parseSource(source(uid, html), 1_767_600_000_000)
  return { ...body, uid, flags: [], modseq: null, internalDate: 1_767_600_000_000, size: html.length }
}

async function setup(inbound: { run?: boolean } = { run: false }, dataDir?: string) {
  const t = freshEngine({ outbound: { run: false, eventsPollMs: 0, probeMs: 60_000, undoMs: 0 }, inbound, ...(dataDir ? { dataDir } : {}) })
  const base = dataDir ? null : await inboxSetup(t)
  const s = storeCtx(t)
  const idOf = (uid: number) => (s.ctx.sqlite.prepare('SELECT id FROM messages WHERE uid = ?').get(uid) as { id: number }).id
  const body = (id: number) =>
    s.ctx.sqlite.prepare('SELECT safe_html AS safeHtml, safe_html_state AS state, safe_html_remote AS remote FROM message_bodies WHERE message_id = ?').get(id) as {
      safeHtml: string | null
      state: string | null
      remote: number
    }
  return { t, base, ...s, idOf, body }
}

describe('sanitised once, at sync time', () => {
  it('stores the parse thread’s sanitised HTML and snippet; messages.get does no sanitising', async () => {
    const { t, ctx, base, idOf, body } = await setup()
    const m = await synced(1, HOSTILE_HTML)
    expect(m.prepared).toMatchObject({ htmlState: 'ok', htmlRemote: true })
    storeMessages(ctx, inboxRef(base!.mailbox.id), [m])
    const id = idOf(1)
    expect(body(id)).toMatchObject({ state: 'ok', remote: 1 })
    expect(body(id).safeHtml).not.toMatch(/script|onclick|javascript:|u\\72l|url\(/i)

    scanWork.chars = 0
    const d = await t.ok('messages.get', { id })
    expect(scanWork.chars).toBe(0) // no tag scan, no sanitize-html: only the linear finish pass
    expect(d.snippet).toBe('Hello there styled j')
    expect(d.html).toContain('<b>there</b>')
    expect(d.html).toContain('color:red')
    expect(d.html).not.toMatch(/script|onclick|javascript:|t\.test|url\(/i)
    expect(d).toMatchObject({ remoteImagesBlocked: true, remoteImagesAllowed: false, htmlOmitted: null, hasHtmlSource: true })

    const allowed = await t.ok('messages.allowRemoteImages', { id, scope: 'message' })
    expect(allowed.html).toContain('src="http://t.test/pixel.gif"')
    expect(allowed.html).toContain('src="https://t.test/b.png"')
    expect(allowed.html).not.toMatch(/url\(|bg\.png/) // CSS images never come back
    expect(allowed.remoteImagesBlocked).toBe(false)
  })

  it('over budget: the reading pane gets the words, and messages.original the source as text', async () => {
    const { t, ctx, base, idOf, body } = await setup()
    const deep = '<div>'.repeat(20_000) + 'deep words' + '</div>'.repeat(20_000)
    storeMessages(ctx, inboxRef(base!.mailbox.id), [await synced(1, deep)])
    expect(body(idOf(1))).toMatchObject({ state: 'depth', safeHtml: null })
    const d = await t.ok('messages.get', { id: idOf(1) })
    expect(d).toMatchObject({ html: null, text: 'deep words', htmlOmitted: 'depth', hasHtmlSource: true, snippet: 'deep words' })
    const o = await t.ok('messages.original', { id: idOf(1) })
    expect(o).toMatchObject({ truncated: false, totalChars: deep.length + 1 }) // the line break the MIME body ends with
    expect(o.source.startsWith('<div><div>')).toBe(true)
    expect(await t.err('messages.original', { id: 999 })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('quotes the stored sanitised HTML in a reply, with nothing remote in it', async () => {
    const { t, ctx, base, idOf } = await setup()
    storeMessages(ctx, inboxRef(base!.mailbox.id), [await synced(1, HOSTILE_HTML)])
    const r = await t.ok('messages.reply', { messageId: idOf(1), mode: 'reply', html: '<p>Thanks</p>' })
    const html = (ctx.sqlite.prepare('SELECT html FROM outbound_messages WHERE id = ?').get(r.id) as { html: string }).html
    expect(html).toMatch(/^<p>Thanks<\/p>.*wrote:.*<b>there<\/b>/s)
    expect(html).not.toMatch(/script|onclick|javascript:|t\.test|url\(|\\72/i)
  })
})

describe('bodies stored before the upgrade (migration 0010)', () => {
  it('are sanitised in a parse thread for a read without writing, then stored by the background pass', async () => {
    const first = await setup()
    storeMessages(first.ctx, inboxRef(first.base!.mailbox.id), [await synced(1, HOSTILE_HTML)])
    const id = first.idOf(1)
    // As a pre-0010 database has them: HTML stored as sent, nothing prepared.
    first.ctx.sqlite.prepare('UPDATE message_bodies SET safe_html = NULL, safe_html_state = NULL, safe_html_remote = 0').run()
    expect(first.body(id).state).toBeNull()

    scanWork.chars = 0
    const d = await first.t.ok('messages.get', { id })
    expect(scanWork.chars).toBe(0) // not on this thread: the parse thread did it
    expect(d.html).toContain('<b>there</b>')
    expect(d.html).not.toMatch(/script|onclick|javascript:|t\.test|url\(/i)
    expect(d.remoteImagesBlocked).toBe(true)
    expect(first.body(id).state).toBeNull() // a read never writes

    // The next start (sync running) prepares and stores what is left.
    await first.t.engine.close()
    const again = await setup({ run: true }, first.t.dataDir)
    expect(await again.t.engine.inbound.sync.backfillDone()).toBe(1)
    expect(again.body(id)).toMatchObject({ state: 'ok', remote: 1 })
    const after = await again.t.ok('messages.get', { id })
    expect(after.html).toBe(d.html)
  })
})
