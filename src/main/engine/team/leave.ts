// Leaving a team workspace on this desktop (issue 22 item 1): the desktop goes back to working on its own with
// all its data (its own copy from now on). What must not happen twice: an outbox row the workspace shares is
// sent by the desktop holding its claim, so after leaving this desktop sends none of them: each shared row still
// waiting here is withdrawn here (cancelled, with the reason) and its lease, if this desktop held one, is given
// back in PostgreSQL, so another desktop sends it at once. Rows only this desktop ever had (queued here and
// never pushed) stay its own and go as usual, and so do shared rows whose attachments only this desktop holds
// (their claim is pinned here: nobody else can send them).
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { WAITING_STATUSES, cancelWaiting } from '../outbound/cancel'
import { forgetWorkspace, hasLocalAttachments, insertUnpushed, outboxIdsIn, pauseEnrolments, runningEnrolments } from '../repos/team'
import { CLAIMED_TABLE } from './claims'
import { liveLeadIds, stopLead } from '../repos/flows'

export const LEFT_REASON = 'Left the workspace: another desktop sends this'
export const ENROLMENT_LEFT_REASON = 'Left the workspace: its other desktops run this sequence'
export const LEAD_LEFT_REASON = 'Left the workspace: its other desktops run this flow'

const shared = (ctx: Ctx, id: number): boolean => !insertUnpushed(ctx.sqlite, CLAIMED_TABLE, String(id))

/** Shared rows this desktop is sending right now (it holds their claims). */
export function sharedSending(ctx: Ctx): number[] {
  return outboxIdsIn(ctx.sqlite, ['sending']).filter((id) => shared(ctx, id))
}

/** Waits (up to `timeoutMs`) for the shared sends under way here to end; returns those still under way. */
export async function waitForSharedSends(ctx: Ctx, timeoutMs: number): Promise<number[]> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const ids = sharedSending(ctx)
    if (!ids.length || Date.now() >= until) return ids
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * One transaction, after the replicator stopped: the shared waiting rows are withdrawn (not captured: the
 * membership goes first) and the workspace is forgotten. Returns the rows withdrawn and how many changes made
 * here never reached the workspace.
 */
export function leaveLocally(ctx: Ctx): { withdrawn: number[]; keptHere: number; stoppedFlows: number[] } {
  return inTransaction(ctx.sqlite, () => {
    const theirs = outboxIdsIn(ctx.sqlite, WAITING_STATUSES).filter((id) => shared(ctx, id) && !hasLocalAttachments(ctx.sqlite, id))
    // team-seq: the workspace's enrolments go on on its desktops; here they stop (a step sent from both would go twice).
    const enrolments = runningEnrolments(ctx.sqlite).filter((id) => !insertUnpushed(ctx.sqlite, 'sequence_contacts', String(id)))
    // team-flows: so do the workspace's leads under way (a step taken here and on another desktop would go twice).
    const leads = liveLeadIds(ctx).filter((id) => !insertUnpushed(ctx.sqlite, 'flow_leads', String(id)))
    const keptHere = forgetWorkspace(ctx.sqlite)
    const withdrawn = theirs.filter((id) => cancelWaiting(ctx, id, LEFT_REASON))
    pauseEnrolments(ctx.sqlite, enrolments, ENROLMENT_LEFT_REASON, ctx.clock.now())
    const stoppedFlows = new Set<number>()
    for (const id of leads) {
      const flowId = stopLead(ctx, id, LEAD_LEFT_REASON)
      if (flowId !== undefined) stoppedFlows.add(flowId)
    }
    return { withdrawn, keptHere, stoppedFlows: [...stoppedFlows] }
  })
}
