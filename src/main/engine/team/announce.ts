// What a desktop's screens and loops hear when ops from other desktops were applied (replicator.ts): one event
// per kind of change, and the automation runner and scheduler woken for what may be due now.
import type { Ctx } from '../context'
import type { Applied } from './apply'

export function announceApplied(ctx: Ctx, a: Applied): void {
  if (!a.applied) return
  if (a.tables.has('objects') || a.mailboxIds.size) ctx.emit('objects.changed', {})
  // A mailbox set up, changed or removed on another desktop: its sync here starts, restarts or stops.
  for (const id of a.mailboxIds) ctx.sync.settingsChanged(id)
  if (a.tables.has('tags')) ctx.emit('tags.changed', {})
  if (a.contactIds.size || a.tables.has('contact_emails') || a.tables.has('contact_phones')) ctx.emit('contacts.changed', a.contactIds.size ? { ids: [...a.contactIds] } : {})
  for (const contactId of a.noteContactIds) ctx.emit('notes.changed', { contactId })
  // team-domains: consent shows on the contact page; segments and intake rules have screens of their own.
  if (a.tables.has('consent') || a.tables.has('consent_events')) ctx.emit('contacts.changed', {})
  if (a.tables.has('segments')) ctx.emit('segments.changed', {})
  if (a.tables.has('intake_rules')) ctx.emit('intake.changed', {})
  if (a.taskIds.size) ctx.emit('tasks.changed', { ids: [...a.taskIds] })
  // team-seq: automation's screens reload, and the runner looks again (an enrolment or a step may be due now).
  const seq = ['sequences', 'sequence_steps', 'sequence_mailboxes', 'sequence_contacts', 'sequence_messages'].some((x) => a.tables.has(x))
  const ar = ['autoresponders', 'autoresponder_actions', 'autoresponder_executions'].some((x) => a.tables.has(x))
  if (seq) ctx.emit('automation.changed', { kind: 'sequences' })
  if (ar) ctx.emit('automation.changed', { kind: 'autoresponders' })
  if (seq || ar) ctx.automation.wake()
  // team-flows: the editor and the leads reload; leads that arrived due (or a flow resumed) are looked at now.
  if (a.flowIds.size) {
    ctx.emit('flows.changed', { flowIds: [...a.flowIds] })
    ctx.automation.wake()
  }
  // An erase on another desktop: this desktop's IMAP copies of the person's mail go too (services/dataRights.ts).
  if (a.erasedMessageKeys.size || a.erasedBlocks.length) ctx.hooks.emit('team.erasedMessages', { keys: a.erasedMessageKeys, blocks: a.erasedBlocks })
  if (a.outboundIds.size) {
    ctx.emit('outbox.changed', { ids: [...a.outboundIds] })
    // Rows that arrived may be due: the scheduler asks for their claims.
    ctx.outbound.scheduler.wake()
  }
}

