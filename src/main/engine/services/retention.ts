// Mail retention per business (issue 18, seed 003 "data retention policies"): "delete mail older than N months",
// off by default. A daily pass on the engine's clock (a test clock drives it; no cron) deletes local copies only:
// the mail server keeps its own, and the outbox's history is not mail. Each pass leaves an audit line with counts.
import type { Retention } from '../../../shared/dataRights'
import type { Ctx } from '../context'
import { iso } from '../clock'
import { removeAttachment } from '../inbound/attachmentFiles'
import { deleteMessages } from '../inbound/store'
import { refreshThreads } from '../inbound/thread'
import { currentUserId } from '../repos/app'
import { addAudit } from '../repos/audit'
import { unreferencedHashes } from '../repos/dataRights'
import { markRetentionRun, messagesOlderThan, retentionDue, retentionOf, setRetention } from '../repos/retention'
import { requireObject } from './objects'

export const DAY_MS = 86_400_000
const BATCH = 500

const shape = (r: { objectId: number; months: number | null; lastRunAt: number | null }): Retention => ({
  objectId: r.objectId,
  months: r.months,
  lastRunAt: r.lastRunAt === null ? null : iso(r.lastRunAt),
})

export function getRetention(ctx: Ctx, objectId: number): Retention {
  requireObject(ctx, objectId)
  return shape(retentionOf(ctx, objectId))
}

export function setRetentionMonths(ctx: Ctx, objectId: number, months: number | null): Retention {
  requireObject(ctx, objectId)
  const before = retentionOf(ctx, objectId).months
  const now = ctx.clock.now()
  ctx.sqlite.transaction(() => {
    setRetention(ctx, objectId, months, now)
    if (before !== months) addAudit(ctx, { objectId, userId: currentUserId(ctx), action: 'settings.change', detail: { setting: 'retention.months', from: before, to: months } }, now)
  })()
  ctx.emit('objects.changed', {})
  return shape(retentionOf(ctx, objectId))
}

/** The cut: the same day and time N calendar months earlier (UTC). */
export function retentionCut(now: number, months: number): number {
  const d = new Date(now)
  d.setUTCMonth(d.getUTCMonth() - months)
  return d.getTime()
}

/** Runs every business whose daily pass is due; returns the messages deleted per business. */
export function runRetention(ctx: Ctx): Map<number, number> {
  const now = ctx.clock.now()
  const done = new Map<number, number>()
  for (const r of retentionDue(ctx, now - DAY_MS)) {
    const cut = retentionCut(now, r.months!)
    const hashes = new Set<string>()
    const threads = new Set<number>()
    let messages = 0
    // Batches, each one transaction, so a first pass over years of mail never holds the write lock for long.
    for (;;) {
      const touched = new Set<number>()
      const n = ctx.sqlite
        .transaction(() => {
          const ids = messagesOlderThan(ctx, r.objectId, cut, BATCH)
          const deleted = deleteMessages(ctx, ids, touched, hashes)
          refreshThreads(ctx, touched)
          return deleted
        })
        .immediate()
      messages += n
      for (const t of touched) threads.add(t)
      if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
      if (n < BATCH) break
    }
    let files = 0
    for (const h of unreferencedHashes(ctx, hashes)) removeAttachment(ctx.info.dataDir, h), files++
    ctx.sqlite.transaction(() => {
      markRetentionRun(ctx, r.objectId, now)
      addAudit(ctx, { objectId: r.objectId, userId: null, action: 'retention.run', detail: { months: r.months, before: iso(cut), messages, threads: threads.size, files } }, now)
    })()
    done.set(r.objectId, messages)
  }
  return done
}

export interface RetentionRunner {
  start(): void
  wake(): void
  stop(): void
}

/** Looks every few minutes (at most) whether a business's daily pass is due; a test clock's jump is seen on wake. */
export function createRetentionRunner(ctx: Ctx, log: (m: string) => void): RetentionRunner {
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = true
  const turn = () => {
    if (stopped) return
    try {
      runRetention(ctx)
    } catch (err) {
      log(`[retention] pass failed: ${(err as Error).message}`)
    }
    timer = setTimeout(turn, 10 * 60_000)
    timer.unref?.()
  }
  const wake = () => {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(turn, 0)
    timer.unref?.()
  }
  return {
    start: () => ((stopped = false), wake()),
    wake,
    stop: () => ((stopped = true), clearTimeout(timer)),
  }
}
