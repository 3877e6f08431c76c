// Automation across its domains: the hooks that let contacts, the outbox and the inbox drive
// autoresponders and sequences (each listener runs inside its emitter's transaction), and the runner
// loop put together with the work it runs.
import type { Ctx } from '../context'
import { runnerLoop, wakeAutomation, type AutomationRunner } from '../automation/runner'
import { followOutbound as followSequence, materializeDue, nextDueAt } from '../automation/sequenceRun'
import { nextLocalMidnight } from '../outbound/localDay'
import { checkDates, firePending, followOutbound as followExecution, nextDateCheck, nextFiringAt, onContactsCreated, onContactsTagged, skipPendingFor } from './autoresponders'
import { queueMessage, queueMessageId } from './outbox'
import { enroll, onBounced, onReplied, onUnsubscribed } from './sequences'
import { advanceDueLeads, type FlowDeps } from '../automation/flowRun'
import { nextFlowDueAt } from '../automation/flowClaims'
import { contactInSegment } from './segments'
import { wireFlowHooks } from '../automation/flowTriggers'
import { insertTask } from '../repos/tasks'
import { currentUser } from './notes'

export function wireAutomationHooks(ctx: Ctx): Array<() => void> {
  return [
    // The rows these write are due at once (or later); wake the sender (it ticks after this commit).
    ctx.hooks.on('contacts.created', ({ ids }) => (onContactsCreated(ctx, ids), ctx.outbound.scheduler.wake())),
    ctx.hooks.on('contacts.tagged', ({ contactIds, tagId }) => (onContactsTagged(ctx, contactIds, tagId), ctx.outbound.scheduler.wake())),
    ctx.hooks.on('outbound.status', ({ id, status, detail, source }) => {
      // Only automation's own rows have an execution or a sequence step to follow (a query each, per send).
      if (source !== 'autoresponder' && source !== 'sequence') return
      followExecution(ctx, id, status, detail)
      // A next step was scheduled: the runner's timer must learn about it (it runs after this commits).
      if (followSequence(ctx, id, status, detail)) wakeAutomation(ctx)
    }),
    ctx.hooks.on('outbound.replied', (p) => void onReplied(ctx, p)),
    // A reply by SMS or WhatsApp stops the contact's sequences just as a mail reply does (issue 17 item 7).
    ctx.hooks.on('texts.received', (p) => void onReplied(ctx, { outboundId: p.outboundId, contactId: p.contactId })),
    ctx.hooks.on('outbound.bounced', (p) => {
      onBounced(ctx, p)
      if (p.contactId !== null) skipPendingFor(ctx, p.contactId, `${p.email} bounced`)
    }),
    ctx.hooks.on('contacts.unsubscribed', (p) => {
      onUnsubscribed(ctx, p)
      skipPendingFor(ctx, p.contactId, `The contact ${p.reason === 'complained' ? 'complained' : 'unsubscribed'}`)
    }),
    // Flows (issue 16): leads moved by a hook are due now; the runner picks them up after this commits.
    ...wireFlowHooks(ctx, (flowIds) => (ctx.emit('flows.changed', { flowIds }), wakeAutomation(ctx))),
  ]
}

/** The flow's notify action: a task due now (so its reminder pops up), for the named staff user or whoever is at the keyboard. */
function notifyStaff(ctx: Ctx, t: { title: string; contactId: number; assigneeId?: number }): void {
  const now = ctx.clock.now()
  const id = insertTask(ctx, { title: t.title, contactId: t.contactId, threadId: null, assigneeId: t.assigneeId ?? currentUser(ctx), createdBy: null, dueAt: now, remindedAt: null, closeOnReply: false, now })
  ctx.hooks.emit('tasks.scheduled', { ids: [id] })
  ctx.emit('tasks.changed', { ids: [id] })
}

/** What a flow node may do beyond the outbox: the rules of other domains, handed down to the machinery. */
const flowDeps: FlowDeps = {
  queue: queueMessageId,
  enrollInSequence: (ctx, sequenceId, contactId) => void enroll(ctx, { sequenceId, contactIds: [contactId] }),
  inSegment: contactInSegment,
  notifyStaff,
}

/** The engine's automation runner: date triggers and due sequence steps, queued through the outbox's one door. */
export function createAutomationRunner(ctx: Ctx, log: (m: string) => void): AutomationRunner {
  return runnerLoop(ctx, log, {
    // Firings waiting for their claims (team workspace) go with the date checks, which may add some.
    checkDates: () => checkDates(ctx) + firePending(ctx),
    steps: (limit) => materializeDue(ctx, queueMessage, limit),
    flows: (limits) => {
      const { handled, flowIds, more } = advanceDueLeads(ctx, limits, flowDeps, log)
      if (flowIds.size) ctx.emit('flows.changed', { flowIds: [...flowIds] })
      return { handled, more }
    },
    nextAt: () => Math.min(nextDueAt(ctx), nextDateCheck(ctx, nextLocalMidnight), nextFlowDueAt(ctx), nextFiringAt(ctx)),
  })
}
