// Flows in a team workspace (issue 22 item 4): a lead's step is taken on one desktop only, the one holding the
// step's claim in PostgreSQL (team/stepClaims.ts). A lead enrolled here and not pushed yet is this desktop's alone.
// Everything a step does (its path, its outbox row, the lead's new state) commits with it and replicates; the
// outbox row is then sent once by the outbox's own claims.
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'
import { leadRow, nextLeadDueAt, type LeadRow } from '../repos/flows'
import { stepKey, stepsDoneBeforePush, teamStepGate, teamStepWaitMs, teamStepsOn, unpushedRow, type StepKey } from '../team/stepClaims'

/**
 * Team workspace (issue 22): the claim that decides which desktop takes a lead's next step. A step is the lead's id
 * and how many steps it took before (step_no), the same on every desktop that sees it due; its wait_until is not
 * part of it (a reply or an open makes a waiting lead due at each desktop's own instant).
 */
export const flowStepKey = (lead: Pick<LeadRow, 'id' | 'stepNo'>): StepKey => stepKey('flow', lead.id, lead.stepNo)

// The steps a lead took here before its first push (no claim was needed: it was this desktop's alone) go to
// PostgreSQL as this desktop's claims with the lead's insert: a desktop that sees the lead before the ops of those
// steps (a push split in batches) cannot take them again.
stepsDoneBeforePush('flow_leads', (sqlite, insert) => {
  const id = Number(insert.rowKey)
  const from = Number((JSON.parse(insert.fields) as { step_no?: number }).step_no ?? 0)
  const now = (stmtPluck(sqlite, 'SELECT step_no FROM flow_leads WHERE id = ?').get(id) as number | undefined) ?? from
  const keys: StepKey[] = []
  for (let n = from; n < now; n++) keys.push(flowStepKey({ id, stepNo: n }))
  return keys
})

/**
 * The leads of `ids` (due, read by the runner inside its transaction) this desktop may move now: its own (enrolled
 * here, not pushed yet), or those whose step's claim it holds; the others are asked for in the background. null
 * outside a workspace (every lead goes, with no read).
 */
export function gateLeads(ctx: Ctx, ids: number[]): Set<number> | null {
  if (!teamStepsOn(ctx)) return null
  const leads = ids.map((id) => leadRow(ctx, id)).filter((l): l is LeadRow => l !== undefined && (l.status === 'pending' || l.status === 'waiting'))
  return new Set(teamStepGate(ctx, leads, flowStepKey, (l) => unpushedRow(ctx, 'flow_leads', l.id)).map((l) => l.id))
}

/**
 * A wait node's own end, when it is still ahead (in a workspace only; null otherwise). A reply or an open seen on
 * desktop B makes a lead due now by setting its wait_until; if desktop A meanwhile took that lead's step to a wait
 * node, the two writes merge field by field and B's instant may win over A's: the wait would end at once. The end
 * the wait recorded in the lead's path ("waiting", its instant) says when it really ends.
 */
export function waitEndsLater(ctx: Ctx, leadId: number, nodeKey: string, now: number): number | null {
  if (!teamStepsOn(ctx)) return null
  const detail = stmtPluck(ctx.sqlite, "SELECT detail FROM flow_lead_events WHERE lead_id = ? AND node_key = ? AND outcome = 'waiting' ORDER BY at DESC, id DESC LIMIT 1").get(leadId, nodeKey) as
    | string
    | null
    | undefined
  const until = detail ? Date.parse(detail) : NaN
  return Number.isFinite(until) && until > now ? until : null
}

/** The clock instant of the last slice that left due leads to other desktops' claims (per database). */
const heldBack = new WeakMap<Ctx['sqlite'], number>()

/**
 * When the runner looks at leads again: the next wait that ends; but when due leads were held back for their claims
 * (another desktop holds them, or the claims are being asked for), not before the claim book may ask again or wins
 * some (it wakes the runner then), so the runner does not spin on leads it may not move.
 */
export function nextFlowDueAt(ctx: Ctx): number {
  const at = nextLeadDueAt(ctx)
  const held = heldBack.get(ctx.sqlite)
  if (held === undefined || at > held) return at
  return Math.max(at, ctx.clock.now() + Math.min(teamStepWaitMs(ctx), 60_000))
}

/** A slice's end: whether it left due leads to the claims (nextFlowDueAt then waits for them). */
export function noteHeld(ctx: Ctx, held: boolean): void {
  if (held) heldBack.set(ctx.sqlite, ctx.clock.now())
  else heldBack.delete(ctx.sqlite)
}
