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
import { fetchMessage, type TwilioMessage } from './twilioApi'
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

/** One pass: asks Twilio about the texts due a look; returns the rows whose status changed. */
export async function pollTextStatuses(ctx: Ctx, opts: StatusPollOptions): Promise<number[]> {
  const now = ctx.clock.now()
  const due = stmt(
    ctx.sqlite,
    `SELECT id, object_id AS objectId, provider_id AS providerId, provider_status AS providerStatus, contact_id AS contactId, channel
       FROM outbound_messages INDEXED BY outbound_text_open_idx
      WHERE channel != 'email' AND status = 'sent' AND (polled_at IS NULL OR polled_at <= ?) ORDER BY polled_at, id LIMIT ?`,
  ).all(now - opts.intervalMs, opts.batch) as OpenText[]
  // Answers are recorded as they come, a small transaction per chunk, so a pass over thousands of texts
  // never holds the engine's thread for long.
  let answers: Array<[OpenText, TwilioMessage | SendFailure, number]> = []
  const changed: number[] = []
  const flush = () => {
    const chunk = answers
    answers = []
    if (chunk.length) changed.push(...record(ctx, chunk, opts.retry))
  }
  let next = 0
  const worker = async () => {
    while (next < due.length) {
      const row = due[next++]!
      if (!row.providerId) continue
      // The next look is spaced from when this answer came back (not when it was asked), so however long a
      // request waited on the way, Twilio never sees two for one text inside one interval.
      try {
        const a = await fetchMessage(twilioConfig(ctx, row.objectId), row.providerId)
        answers.push([row, a, ctx.clock.now()])
      } catch (err) {
        answers.push([row, err instanceof SendFailure ? err : new SendFailure('transient', String(err)), ctx.clock.now()])
      }
      if (answers.length >= CHUNK) flush()
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, due.length) }, worker))
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
