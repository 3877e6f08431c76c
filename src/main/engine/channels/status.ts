// Delivery status of texts, polled (a desktop cannot receive Twilio's webhooks): every text Twilio accepted is
// asked about at most once per poll interval until its status is final, and each change is a message_event:
// queued → sent → delivered (the row becomes `delivered`), or undelivered/failed with Twilio's error code on
// the outbox's failure kinds (30001 retried later; 21610, 63016, 30003… failed, which lets a fallback go on).
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { failRow, type RetryPolicy } from '../outbound/outcome'
import { SendFailure } from '../outbound/failure'
import { addEvent, getRow, transition } from '../repos/outbox'
import { applyConsent } from './consent'
import { OPTED_OUT, twilioFailure } from './errors'
import { fetchMessage, type TwilioConfig, type TwilioMessage } from './twilioApi'
import { twilioConfig } from './twilioSender'
import type { TextChannel } from '../../../shared/channels'

export interface StatusPollOptions {
  /** A text is asked about at most once per interval. */
  intervalMs: number
  /** Requests in flight at once. */
  concurrency: number
  /** Texts asked about per pass (the rest wait for the next one). */
  batch: number
  retry: RetryPolicy
}

interface OpenText {
  id: number
  objectId: number
  providerId: string
  providerStatus: string | null
  contactId: number | null
  channel: TextChannel
}

const FINAL_OK = new Set(['delivered', 'read'])
const CHUNK = 100
const FINAL_BAD = new Set(['undelivered', 'failed', 'canceled'])

/** Due texts read per query: a pass over 10,000 open texts reads them a page at a time, not in one long statement. */
const PAGE = 500
/** The most a slice of the pass (reading a page, starting requests, parsing answers) keeps the engine's thread before it yields. */
const SLICE_MS = 8

/**
 * Gives the event loop a turn (timers, I/O, RPCs) when the pass has run past its budget since its last yield.
 * One budget for all of a pass's workers: answers arriving together resume every worker in one run of
 * microtasks, and a budget per worker let 16 of them each take 8 ms before any gave the thread back.
 */
function budget(): () => Promise<void> {
  let start = performance.now()
  let waiting: Promise<void> | null = null
  return async () => {
    if (waiting) return waiting
    if (performance.now() - start < SLICE_MS) return
    waiting = new Promise<void>((r) => setImmediate(r)).then(() => {
      waiting = null
      start = performance.now()
    })
    return waiting
  }
}

/** One pass: asks Twilio about the texts due a look; returns the rows whose status changed. */
export async function pollTextStatuses(ctx: Ctx, opts: StatusPollOptions): Promise<number[]> {
  const now = ctx.clock.now()
  const dueStmt = stmt(
    ctx.sqlite,
    `SELECT id, object_id AS objectId, provider_id AS providerId, provider_status AS providerStatus, contact_id AS contactId, channel
       FROM outbound_messages INDEXED BY outbound_text_open_idx
      WHERE channel != 'email' AND status = 'sent' AND (polled_at IS NULL OR polled_at <= ?) ORDER BY polled_at, id LIMIT ?`,
  )
  // Answers are recorded as they come, a small transaction per chunk, so a pass over thousands of texts
  // never holds the engine's thread for long.
  let answers: Array<[OpenText, TwilioMessage | SendFailure, number]> = []
  const changed: number[] = []
  const flush = () => {
    const chunk = answers
    answers = []
    if (chunk.length) changed.push(...record(ctx, chunk, opts.retry))
  }
  // The account's settings (and its sealed token) are read once per pass, not once per text.
  const configs = new Map<number, TwilioConfig | SendFailure>()
  const configOf = (objectId: number): TwilioConfig => {
    let c = configs.get(objectId)
    if (!c) {
      try {
        c = twilioConfig(ctx, objectId)
      } catch (err) {
        c = err instanceof SendFailure ? err : new SendFailure('transient', String(err))
      }
      configs.set(objectId, c)
    }
    if (c instanceof SendFailure) throw c
    return c
  }
  // Due rows a page at a time. A row taken this pass stays out of later pages even before its answer is
  // written (then its polled_at moves it out of the due ones anyway).
  const taken = new Set<number>()
  let queue: OpenText[] = []
  let exhausted = false
  let asked = 0
  const nextRow = (): OpenText | undefined => {
    while (!queue.length && !exhausted && asked < opts.batch) {
      const want = Math.min(PAGE, opts.batch - asked)
      const page = dueStmt.all(now - opts.intervalMs, want + taken.size) as OpenText[]
      queue = page.filter((r) => !taken.has(r.id)).slice(0, want)
      if (page.length < want + taken.size || !queue.length) exhausted = true
    }
    const row = queue.shift()
    if (row) (taken.add(row.id), asked++)
    return row
  }
  const yieldIfLong = budget()
  const worker = async () => {
    for (let row = nextRow(); row; row = nextRow()) {
      if (!row.providerId) continue
      // The next look is spaced from when this answer came back (not when it was asked), so however long a
      // request waited on the way, Twilio never sees two for one text inside one interval.
      try {
        const a = await fetchMessage(configOf(row.objectId), row.providerId)
        answers.push([row, a, ctx.clock.now()])
      } catch (err) {
        answers.push([row, err instanceof SendFailure ? err : new SendFailure('transient', String(err)), ctx.clock.now()])
      }
      if (answers.length >= CHUNK) flush()
      // Answers arriving together resume their workers in one run of microtasks: past the slice's budget,
      // the thread goes back to the event loop before the next request is started.
      await yieldIfLong()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker))
  flush()
  if (changed.length) ctx.emit('outbox.changed', { ids: [...new Set(changed)] })
  return changed
}

/** Writes one chunk of answers in one transaction; returns the rows whose outbox status changed. */
function record(ctx: Ctx, answers: Array<[OpenText, TwilioMessage | SendFailure, number]>, retry: RetryPolicy): number[] {
  const changed: number[] = []
  const now = ctx.clock.now()
  ctx.sqlite.transaction(() => {
    const touch = stmt(ctx.sqlite, 'UPDATE outbound_messages SET polled_at = ?, provider_status = coalesce(?, provider_status), segments = coalesce(?, segments) WHERE id = ?')
    for (const [row, a, asked] of answers) {
      if (a instanceof SendFailure) {
        touch.run(asked, null, null, row.id)
        continue
      }
      const segments = Number(a.num_segments) > 0 ? Number(a.num_segments) : null
      touch.run(asked, a.status, segments, row.id)
      if (a.status === row.providerStatus) continue
      if (FINAL_OK.has(a.status)) {
        if (transition(ctx, row.id, ['sent'], { status: 'delivered' }, 'delivered', `Twilio: ${a.status}`)) changed.push(row.id)
      } else if (FINAL_BAD.has(a.status)) {
        const f = twilioFailure(a.error_code, null, a.error_message ?? '')
        addEvent(ctx, row.id, a.status, `Twilio: ${a.status}${a.error_code ? ` (${a.error_code})` : ''}`, now)
        if (a.error_code === OPTED_OUT && row.contactId) changed.push(...applyConsent(ctx, row.contactId, row.channel, 'revoked', `twilio:${OPTED_OUT}`, now))
        const full = getRow(ctx, row.id)
        // A delivery failure that would pass again (30001 queue overflow) retries; others end the row.
        if (full) changed.push(...failRow(ctx, full, f.kind === 'auth' || f.kind === 'offline' ? new SendFailure('permanent', f.message, undefined, f.code) : f, retry))
      } else addEvent(ctx, row.id, a.status, `Twilio: ${a.status}`, now)
    }
  }).immediate()
  return changed
}
