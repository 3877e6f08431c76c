// Texts received, polled from Twilio's message list per receiving number (a desktop cannot take webhooks):
// a cursor by date_sent per number with a few minutes of overlap, deduplicated by sid, each text matched to
// the business's contact by phone (E.164), threaded per contact and channel, and STOP/START applied to consent.
import type { TextChannel } from '../../../shared/channels'
import type { Ctx } from '../context'
import { stmt, stmtPluck } from '../db/stmt'
import { getSetting, setSetting } from '../repos/settings'
import { lastTextTo } from '../repos/texts'
import { allTwilioRows, twilioInboundCursorKey, type TwilioRow } from '../repos/twilio'
import { applyConsent, keywordOf } from './consent'
import { listMessages, listServiceNumbers, type TwilioMessage } from './twilioApi'
import { twilioConfig } from './twilioSender'

/** Twilio may list a text a little after its date_sent: each pass re-reads this much before the cursor. */
const OVERLAP_MS = 5 * 60_000
const MAX_PAGES = 50

export interface InboundResult {
  received: number
  contactIds: number[]
  outboxChanged: number[]
}

const bare = (addr: string) => addr.replace(/^whatsapp:/, '')

/** The business's contact with this number (any of their numbers, E.164 in contact_phones; else contacts.phone), or null. */
export function contactByPhone(ctx: Ctx, objectId: number, phone: string): number | null {
  return (
    (stmtPluck(
      ctx.sqlite,
      `SELECT c.id FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE p.number = ? AND c.primary_object_id = ?
       UNION ALL SELECT id FROM contacts WHERE primary_object_id = ? AND phone = ? LIMIT 1`,
    )
      .get(phone, objectId, objectId, phone) as number | undefined) ?? null
  )
}

/** A Messaging Service's numbers are asked for again after this long (a pool changes rarely). */
const SERVICE_NUMBERS_MS = 10 * 60_000
const serviceNumbers = new WeakMap<Ctx, Map<string, { at: number; numbers: string[] }>>()

/** The numbers in a Messaging Service's sender pool (cached a while); replies to texts sent through it arrive there. */
async function numbersOfService(ctx: Ctx, r: TwilioRow): Promise<string[]> {
  let cache = serviceNumbers.get(ctx)
  if (!cache) serviceNumbers.set(ctx, (cache = new Map()))
  const key = `${r.objectId}:${r.messagingServiceSid}`
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < SERVICE_NUMBERS_MS) return hit.numbers
  const cfg = twilioConfig(ctx, r.objectId)
  const numbers: string[] = []
  let page = await listServiceNumbers(cfg, r.messagingServiceSid!)
  for (let i = 1; ; i++) {
    numbers.push(...page.phone_numbers.map((p) => p.phone_number))
    if (!page.meta?.next_page_url || i >= MAX_PAGES) break
    page = await listServiceNumbers(cfg, r.messagingServiceSid!, { pageUrl: page.meta.next_page_url })
  }
  cache.set(key, { at: Date.now(), numbers })
  return numbers
}

async function numbersOf(ctx: Ctx, r: TwilioRow, log: (m: string) => void): Promise<Array<{ to: string; channel: TextChannel }>> {
  const out: Array<{ to: string; channel: TextChannel }> = []
  if (r.smsFrom) out.push({ to: r.smsFrom, channel: 'sms' })
  // Texts sent through a Messaging Service (no SMS number of its own) are answered on the pool's numbers.
  else if (r.messagingServiceSid) {
    try {
      for (const n of await numbersOfService(ctx, r)) out.push({ to: n, channel: 'sms' })
    } catch (err) {
      log(`[twilio] numbers of ${r.messagingServiceSid}: ${(err as Error).message}`)
    }
  }
  if (r.whatsappFrom) out.push({ to: `whatsapp:${r.whatsappFrom}`, channel: 'whatsapp' })
  return out
}

export async function pollInbound(ctx: Ctx, log: (m: string) => void = () => {}): Promise<InboundResult> {
  const result: InboundResult = { received: 0, contactIds: [], outboxChanged: [] }
  for (const r of allTwilioRows(ctx)) {
    if (!r.authTokenSealed) continue
    for (const n of await numbersOf(ctx, r, log)) {
      try {
        await pollNumber(ctx, r, n.to, n.channel, result)
      } catch (err) {
        log(`[twilio] inbound for ${n.to}: ${(err as Error).message}`)
      }
    }
  }
  if (result.received) ctx.emit('texts.changed', { contactIds: [...new Set(result.contactIds)] })
  if (result.outboxChanged.length) ctx.emit('outbox.changed', { ids: result.outboxChanged })
  return result
}

async function pollNumber(ctx: Ctx, r: TwilioRow, to: string, channel: TextChannel, result: InboundResult): Promise<void> {
  const cfg = twilioConfig(ctx, r.objectId)
  const key = twilioInboundCursorKey(r.objectId, to)
  const cursor = Number(getSetting(ctx, key) ?? r.createdAt - 86_400_000)
  const found: TwilioMessage[] = []
  let page = await listMessages(cfg, { to, after: new Date(Math.max(cursor - OVERLAP_MS, 0)) })
  for (let i = 0; ; i++) {
    found.push(...page.messages.filter((m) => m.direction === 'inbound'))
    if (!page.next_page_uri || i >= MAX_PAGES) break
    page = await listMessages(cfg, { pageUri: page.next_page_uri })
  }
  // Oldest first, so a STOP then START in one pass leaves the later answer.
  const dated = found.map((m) => ({ m, at: Date.parse(m.date_sent ?? m.date_created) })).sort((a, b) => a.at - b.at)
  ctx.sqlite.transaction(() => {
    const insert = stmt(
      ctx.sqlite,
      `INSERT OR IGNORE INTO text_messages (object_id, contact_id, channel, sid, from_phone, to_phone, body, received_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    let newest = cursor
    for (const { m, at } of dated) {
      newest = Math.max(newest, at)
      const from = bare(m.from)
      const contactId = contactByPhone(ctx, r.objectId, from)
      const ins = insert.run(r.objectId, contactId, channel, m.sid, from, bare(m.to), m.body, at, ctx.clock.now())
      if (ins.changes === 0) continue
      result.received++
      if (contactId === null) continue
      result.contactIds.push(contactId)
      const kw = keywordOf(m.body)
      if (kw) result.outboxChanged.push(...applyConsent(ctx, contactId, channel, kw === 'out' ? 'revoked' : 'granted', `inbound:${m.body.trim().toUpperCase()}`, at))
      // A real reply by text: automation stops the contact's sequences as a mail reply does (in this transaction).
      else ctx.hooks.emit('texts.received', { contactId, channel, textId: Number(ins.lastInsertRowid), outboundId: lastTextTo(ctx, contactId, channel) })
    }
    setSetting(ctx, key, String(newest))
  }).immediate()
}
