// Analytics queries over the outbox's append-only event log and the sequence step messages.
import type { ANALYTICS_METRICS } from '../../../shared/automation'
import type { Ctx } from '../context'

export type Metric = (typeof ANALYTICS_METRICS)[number]
/** The sources the automation dashboard counts. */
const AUTOMATED = "'autoresponder', 'sequence'"

/**
 * One row per message and metric (the first time it happened), so a re-polled event never counts twice.
 * Automated mail only: one-to-one mail (compose, replies) is not what the automation charts measure.
 * With `templateId`: every message written from that library template, whatever sent it (issue 18).
 */
export function firstEvents(ctx: Ctx, q: { objectId?: number; from: number; to: number; templateId?: number }): Array<{ type: Metric; at: number }> {
  const which = q.templateId !== undefined ? 'o.template_id = ?' : `o.source IN (${AUTOMATED})`
  const params: unknown[] = q.templateId !== undefined ? [q.templateId] : []
  if (q.objectId !== undefined) params.push(q.objectId)
  return ctx.sqlite
    .prepare(
      `SELECT e.type, min(e.at) AS at FROM message_events e
       JOIN outbound_messages o ON o.id = e.outbound_id AND ${which} ${q.objectId !== undefined ? 'AND o.object_id = ?' : ''}
       WHERE e.type IN ('sent', 'failed', 'skipped', 'replied', 'bounced', 'opened', 'clicked') AND e.at >= ? AND e.at < ?
       GROUP BY e.outbound_id, e.type`,
    )
    .all(...params, q.from, q.to) as Array<{ type: Metric; at: number }>
}

export interface FunnelRow {
  position: number
  sent: number
  opened: number
  replied: number
  bounced: number
}
/** Per step of a sequence: how many of its messages went out, were opened, replied to, bounced. */
export function funnelRows(ctx: Ctx, sequenceId: number): FunnelRow[] {
  return ctx.sqlite
    .prepare(
      `SELECT sm.step_position AS position,
         count(DISTINCT CASE WHEN o.status IN ('sent', 'delivered', 'opened', 'clicked', 'bounced') THEN sm.outbound_id END) AS sent,
         count(DISTINCT CASE WHEN o.status IN ('opened', 'clicked') OR EXISTS (SELECT 1 FROM message_events e WHERE e.outbound_id = sm.outbound_id AND e.type = 'opened') THEN sm.outbound_id END) AS opened,
         count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM message_events e WHERE e.outbound_id = sm.outbound_id AND e.type = 'replied') THEN sm.outbound_id END) AS replied,
         count(DISTINCT CASE WHEN o.status = 'bounced' OR EXISTS (SELECT 1 FROM message_events e WHERE e.outbound_id = sm.outbound_id AND e.type = 'bounced') THEN sm.outbound_id END) AS bounced
       FROM sequence_messages sm JOIN outbound_messages o ON o.id = sm.outbound_id WHERE sm.sequence_id = ? GROUP BY sm.step_position`,
    )
    .all(sequenceId) as FunnelRow[]
}
export const enrolledCount = (ctx: Ctx, sequenceId: number): number =>
  (ctx.sqlite.prepare('SELECT count(*) AS n FROM sequence_contacts WHERE sequence_id = ?').get(sequenceId) as { n: number }).n
