// Analytics from the outbox's append-only event log: what was sent, failed, skipped, replied to,
// bounced, opened and clicked, bucketed by day or hour in the object's time zone (seed 004).
import type { z } from 'zod'
import { ANALYTICS_METRICS, type AnalyticsSummary, type SequenceFunnel as FunnelZ } from '../../../shared/automation'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { localDay, nextLocalMidnight } from '../outbound/localDay'
import { wallParts } from '../../../shared/zoneTime'
import { enrolledCount, firstEvents, funnelRows, type Metric } from '../repos/analytics'
import { objectTimezone } from '../repos/automation'
import { getSequence } from './sequences'

type SequenceFunnel = z.infer<typeof FunnelZ>
const zero = () => Object.fromEntries(ANALYTICS_METRICS.map((m) => [m, 0])) as Record<Metric, number>
const MAX_BUCKETS = 5000

/** Start of the local hour (zones a half or quarter hour off UTC have their own hour edges). */
function localHourStart(ms: number, tz: string): number {
  const w = wallParts(ms, tz)
  return ms - ((w.min * 60 + w.s) * 1000 + (((ms % 1000) + 1000) % 1000))
}

/** Start of the local day (or hour) that holds `ms`. */
function bucketStart(ms: number, tz: string, groupBy: 'day' | 'hour'): number {
  if (groupBy === 'hour') return localHourStart(ms, tz)
  const day = localDay(ms, tz)
  // The previous midnight: the next midnight of a moment in the previous day.
  let guess = Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000
  for (let i = 0; i < 3; i++) {
    const m = nextLocalMidnight(guess, tz)
    if (localDay(m, tz) === day) return m
    guess = m
  }
  return Date.parse(`${day}T00:00:00Z`)
}

export function summary(ctx: Ctx, input: { objectId?: number; from: string; to: string; groupBy: 'day' | 'hour'; templateId?: number }): AnalyticsSummary {
  const from = Date.parse(input.from)
  const to = Date.parse(input.to)
  if (!(to > from)) throw new AppError('VALIDATION', '"to" must be after "from"', 'to')
  let tz = 'UTC'
  if (input.objectId !== undefined) {
    const zone = objectTimezone(ctx, input.objectId)
    if (zone === undefined) throw new AppError('NOT_FOUND', `Business ${input.objectId} does not exist`, 'objectId')
    tz = zone
  }
  const buckets = new Map<number, Record<Metric, number>>()
  let t = bucketStart(from, tz, input.groupBy)
  while (t < to) {
    buckets.set(t, zero())
    if (buckets.size > MAX_BUCKETS) throw new AppError('VALIDATION', `That range has more than ${MAX_BUCKETS} ${input.groupBy}s; pick a shorter one or group by day`, 'from')
    t = input.groupBy === 'hour' ? t + 3_600_000 : nextLocalMidnight(t, tz)
  }
  const totals = zero()
  for (const r of firstEvents(ctx, { objectId: input.objectId, from, to, templateId: input.templateId })) {
    const b = buckets.get(bucketStart(r.at, tz, input.groupBy))
    if (b) b[r.type]++
    totals[r.type]++
  }
  return { buckets: [...buckets].map(([at, c]) => ({ at: iso(at), ...c })), totals }
}

export function funnel(ctx: Ctx, sequenceId: number): SequenceFunnel {
  const seq = getSequence(ctx, sequenceId, 'sequenceId')
  const byPos = new Map(funnelRows(ctx, sequenceId).map((r) => [r.position, r]))
  return {
    sequenceId,
    enrolled: enrolledCount(ctx, sequenceId),
    steps: seq.steps.map((s) => {
      const r = byPos.get(s.position)
      return { position: s.position, subject: s.subject, sent: r?.sent ?? 0, opened: r?.opened ?? 0, replied: r?.replied ?? 0, bounced: r?.bounced ?? 0 }
    }),
  }
}
