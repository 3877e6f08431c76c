// Receiving through Mailgun without a webhook (issue 18, seed 000's inbound flow): for each business with
// Mailgun receiving on, make sure a store() route exists for its addresses (adopting one that is already
// there), poll the events API for `stored` events, fetch each message's raw MIME from its storage URL, parse
// it in a parse thread and hand it to the same store as IMAP mail (match → thread → classify → inbox →
// intake). Each event is taken once (its id), each Message-ID once; the cursor lives in the database, so a
// restart picks up where it stopped. The loop backs off while nothing arrives (no cron).
import type { Ctx } from '../context'
import { SendFailure } from '../outbound/failure'
import { mailgunConfig } from '../outbound/mailgunSender'
import * as repo from '../repos/intake'
import { adoptable, createRoute, fetchStored, listRoutes, MailgunInboundError, retargetRoute, routeDescription, routeExpression, sameExpression, storedEvents, type StoredEvent } from './mailgunInboundApi'
import type { ParsePool } from './sync/pool'
import type { StoreApi } from './sync/storeApi'
import type { FolderRef, ParsedMessage } from './types'

/** Mailgun-received copies sit in the receive-only mailbox's INBOX under this uidvalidity (beyond IMAP's 32 bits). */
export const MAILGUN_UIDVALIDITY = 1n << 40n
/** Re-read this much before the cursor: Mailgun may list an event a little after its timestamp. */
const OVERLAP_MS = 5 * 60_000
/** The first poll of a new set-up looks back this far (mail stored while the route was being made). */
const FIRST_LOOKBACK_MS = 10 * 60_000
const PAGES_PER_PASS = 50

export interface MailgunInboundOptions {
  /** First delay after mail arrived or settings changed (default 15 s). */
  minMs?: number
  /** The longest idle delay (default 5 min). */
  maxMs?: number
  log?: (msg: string) => void
  /** Events per page (Mailgun's maximum, 300, by default). */
  pageSize?: number
  /** The parse threads (made on first use, closed with the loop). */
  pool: () => ParsePool
}

export interface MailgunInbound {
  start(): void
  /** Settings changed or "check now": poll soon, back to the shortest delay. */
  wake(): void
  /** One pass over every business now; resolves with how many messages were stored. */
  pollNow(): Promise<number>
  /** The delay before the next pass (grows while idle). */
  delayMs(): number
  stop(): Promise<void>
}

const errWords = (e: unknown): string =>
  (e instanceof MailgunInboundError ? e.message : e instanceof SendFailure ? `Mailgun is not set up: ${e.message}` : 'Receiving through Mailgun failed').slice(0, 300)

export function createMailgunInbound(ctx: Ctx, store: Pick<StoreApi, 'storeMessages'>, o: MailgunInboundOptions): MailgunInbound {
  const log = o.log ?? (() => {})
  const minMs = o.minMs ?? 15_000
  const maxMs = o.maxMs ?? 5 * 60_000
  let delay = minMs
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<number> | null = null
  let stopped = true

  function schedule(ms: number): void {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => void turn(), ms)
    timer.unref?.()
  }

  async function turn(): Promise<void> {
    const got = await pollNow()
    // Mail came: look again soon. Nothing: wait twice as long, up to maxMs.
    delay = got > 0 ? minMs : Math.min(maxMs, delay * 2)
    schedule(delay)
  }

  function pollNow(): Promise<number> {
    // One pass at a time: a wake during a pass waits for it.
    running ??= pass().finally(() => (running = null))
    return running
  }

  async function pass(): Promise<number> {
    let stored = 0
    for (const row of repo.enabledInboundRows(ctx)) {
      try {
        stored += await pollBusiness(row)
        repo.setInboundPoll(ctx, row.objectId, ctx.clock.now(), null)
      } catch (e) {
        log(`[mailgun inbound] business ${row.objectId}: ${(e as Error).message}`)
        repo.setInboundPoll(ctx, row.objectId, ctx.clock.now(), errWords(e))
      }
      ctx.emit('intake.changed', { objectId: row.objectId })
    }
    return stored
  }

  async function pollBusiness(row: repo.InboundRow): Promise<number> {
    const cfg = mailgunConfig(ctx, row.objectId)
    const addresses = JSON.parse(row.addressesJson) as string[]
    const expression = routeExpression(addresses)
    if (!row.routeId || !row.routeExpression || !sameExpression(row.routeExpression, expression)) {
      // New addresses: the route made for the old ones follows them rather than a second route being made.
      const moved = row.routeId ? await retargetRoute(cfg, row.routeId, expression, routeDescription(addresses)) : null
      const found = moved ?? (await listRoutes(cfg)).find((r) => adoptable(r, expression))
      const route = found ?? (await createRoute(cfg, expression, routeDescription(addresses)))
      repo.setInboundRoute(ctx, row.objectId, route.id, route.expression)
      log(`[mailgun inbound] business ${row.objectId}: ${moved ? 'moved' : found ? 'adopted' : 'created'} route ${route.id}`)
    }
    const wanted = new Set(addresses)
    const begin = row.cursorMs !== null ? row.cursorMs - OVERLAP_MS : (repo.inboundRow(ctx, row.objectId)?.lastPollAt ?? ctx.clock.now()) - FIRST_LOOKBACK_MS
    let page = await storedEvents(cfg, { beginMs: Math.max(0, begin), limit: o.pageSize })
    let stored = 0
    for (let n = 0; n < PAGES_PER_PASS; n++) {
      for (const ev of page.items) {
        // Stored events of the account's other routes on this domain are not this business's mail.
        if (ev.recipient && !wanted.has(ev.recipient)) continue
        if (!repo.eventSeen(ctx, row.objectId, ev.id)) stored += await take(row, cfg, ev)
        // The cursor moves only past events that are done: a failed fetch above throws and is retried next pass.
        repo.setInboundPoll(ctx, row.objectId, ctx.clock.now(), null, ev.timestamp)
      }
      if (!page.nextPageUrl) break
      page = await storedEvents(cfg, { pageUrl: page.nextPageUrl })
    }
    return stored
  }

  /** Fetches, parses and stores one event's message; returns 1 when a new message was stored. */
  async function take(row: repo.InboundRow, cfg: ReturnType<typeof mailgunConfig>, ev: StoredEvent): Promise<number> {
    const now = () => ctx.clock.now()
    // Already in the inbox (the same Message-ID came by another event or another way): nothing to fetch.
    if (ev.messageId && repo.messageIdStored(ctx, row.objectId, ev.messageId)) {
      repo.insertInboundEvent(ctx, row.objectId, ev.id, ev.messageId, 'duplicate', null, now())
      return 0
    }
    let source: Buffer
    try {
      source = await fetchStored(cfg, ev.storageUrl)
    } catch (e) {
      // Gone (Mailgun keeps stored mail three days): record it and move on; anything else is retried.
      if (e instanceof MailgunInboundError && e.status === 404) {
        repo.insertInboundEvent(ctx, row.objectId, ev.id, ev.messageId, 'failed', 'Mailgun no longer has this message (it keeps stored mail for 3 days)', now())
        return 0
      }
      throw e
    }
    const [body] = await o.pool().parse([{ source, internalDate: ev.timestamp }])
    if (!body) return 0
    const mailboxId = row.mailboxId ?? repo.inboundRow(ctx, row.objectId)?.mailboxId
    if (!mailboxId) throw new MailgunInboundError('The receiving mailbox is missing; switch receiving off and on again', null)
    const ref: FolderRef = { mailboxId, folder: 'INBOX', folderRole: 'inbox', uidValidity: MAILGUN_UIDVALIDITY }
    let got = 0
    // One transaction: the event is taken if and only if its message is stored (a crash leaves neither).
    ctx.sqlite.transaction(() => {
      // The Message-ID check again, now that the parsed header is known (the event may not carry it).
      if (body.messageId && repo.messageIdStored(ctx, row.objectId, body.messageId)) {
        repo.insertInboundEvent(ctx, row.objectId, ev.id, body.messageId, 'duplicate', null, now())
        return
      }
      const uid = repo.insertInboundEvent(ctx, row.objectId, ev.id, body.messageId ?? ev.messageId, 'stored', null, now())
      const msg: ParsedMessage = { ...body, uid, flags: [], modseq: null, internalDate: ev.timestamp, size: source.length }
      got = store.storeMessages(ctx, ref, [msg]).stored
      repo.countInboundReceived(ctx, row.objectId, now())
    })()
    return got
  }

  return {
    start() {
      if (!stopped) return
      stopped = false
      schedule(0)
    },
    wake() {
      delay = minMs
      schedule(0)
    },
    pollNow,
    delayMs: () => delay,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running?.catch(() => 0)
    },
  }
}
