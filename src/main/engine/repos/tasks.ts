// Queries of tasks: the Today view and the badge walk open tasks by due time (tasks_open_due_idx), the
// reminder loop walks the ones not yet reminded (tasks_remind_idx), "remind me if no reply" looks up a
// contact's waiting tasks (tasks_reply_idx).
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export interface TaskRow {
  id: number
  title: string
  contactId: number | null
  contactName: string | null
  threadId: number | null
  assigneeId: number | null
  assigneeName: string | null
  dueAt: number
  doneAt: number | null
  remindedAt: number | null
  closeOnReply: number
  closedByMessageId: number | null
  createdAt: number
  updatedAt: number
  // issue 22 item 5: who wrote it down
  createdById: number | null
  createdByName: string | null
}

// A contact's name as the grid shows it: "First Last", else the email.
const CONTACT_NAME = `CASE WHEN c.id IS NULL THEN NULL WHEN trim(c.first_name || ' ' || c.last_name) <> '' THEN trim(c.first_name || ' ' || c.last_name) ELSE c.email END`
const COLS = `t.id, t.title, t.contact_id AS contactId, ${CONTACT_NAME} AS contactName, t.thread_id AS threadId, t.assignee_user_id AS assigneeId,
  u.name AS assigneeName, t.due_at AS dueAt, t.done_at AS doneAt, t.reminded_at AS remindedAt, t.close_on_reply AS closeOnReply,
  t.closed_by_message_id AS closedByMessageId, t.created_at AS createdAt, t.updated_at AS updatedAt,
  t.created_by_user_id AS createdById, cu.name AS createdByName`
const FROM = 'tasks t LEFT JOIN contacts c ON c.id = t.contact_id LEFT JOIN users u ON u.id = t.assignee_user_id LEFT JOIN users cu ON cu.id = t.created_by_user_id'

export function taskRow(ctx: Ctx, id: number): TaskRow | undefined {
  return stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE t.id = ?`).get(id) as TaskRow | undefined
}

export interface TaskQuery {
  status: 'open' | 'done' | 'all'
  /** Due-time range [from, until), UTC ms; null = unbounded. */
  from: number | null
  until: number | null
  assigneeId: number | null
  contactId: number | null
  limit: number
}

/**
 * Tasks by due time. Open tasks are read through the partial index on (due_at, id) (one range scan for
 * the Today view); done ones newest-finished first.
 */
export function listTaskRows(ctx: Ctx, q: TaskQuery, index = true): TaskRow[] {
  const where = [q.status === 'open' ? 't.done_at IS NULL' : q.status === 'done' ? 't.done_at IS NOT NULL' : '1']
  const p: Record<string, unknown> = { limit: q.limit }
  if (q.from !== null) (where.push('t.due_at >= @from'), (p.from = q.from))
  if (q.until !== null) (where.push('t.due_at < @until'), (p.until = q.until))
  if (q.assigneeId !== null) (where.push('t.assignee_user_id = @assignee'), (p.assignee = q.assigneeId))
  if (q.contactId !== null) (where.push('t.contact_id = @contact'), (p.contact = q.contactId))
  const order = q.status === 'done' ? 't.done_at DESC, t.id DESC' : 't.due_at, t.id'
  // `index = false` is the benchmark's baseline: the same query made to ignore tasks_open_due_idx.
  const from = index ? FROM : FROM.replace('tasks t', 'tasks t NOT INDEXED')
  return stmt(ctx.sqlite, `SELECT ${COLS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit`).all(p) as TaskRow[]
}

/** Open tasks due before `now` (overdue) and from `now` until `endOfDay` (later today). */
export function countDue(ctx: Ctx, now: number, endOfDay: number): { overdue: number; today: number } {
  const r = stmt(ctx.sqlite, 'SELECT count(*) FILTER (WHERE due_at < @now) AS overdue, count(*) FILTER (WHERE due_at >= @now) AS today FROM tasks WHERE done_at IS NULL AND due_at < @end').get({
    now,
    end: endOfDay,
  }) as { overdue: number; today: number }
  return r
}

export function insertTask(
  ctx: Ctx,
  t: { title: string; contactId: number | null; threadId: number | null; assigneeId: number | null; createdBy: number | null; dueAt: number; remindedAt: number | null; closeOnReply: boolean; now: number },
): number {
  return Number(
    stmt(
      ctx.sqlite,
      `INSERT INTO tasks (title, contact_id, thread_id, assignee_user_id, created_by_user_id, due_at, reminded_at, close_on_reply, created_at, updated_at)
       VALUES (@title, @contactId, @threadId, @assigneeId, @createdBy, @dueAt, @remindedAt, @closeOnReply, @now, @now)`,
    ).run({ ...t, closeOnReply: t.closeOnReply ? 1 : 0 }).lastInsertRowid,
  )
}

export function updateTaskRow(
  ctx: Ctx,
  id: number,
  set: Partial<{ title: string; contact_id: number | null; due_at: number; reminded_at: number | null; assignee_user_id: number | null; done_at: number | null; closed_by_message_id: number | null }>,
  now: number,
): void {
  const cols = Object.keys(set)
  stmt(ctx.sqlite, `UPDATE tasks SET ${[...cols.map((c) => `${c} = @${c}`), 'updated_at = @now'].join(', ')} WHERE id = @id`).run({ ...set, now, id })
}

export function deleteTaskRow(ctx: Ctx, id: number): boolean {
  return stmt(ctx.sqlite, 'DELETE FROM tasks WHERE id = ?').run(id).changes > 0
}

/** Open tasks whose reminder is due and not yet sent, oldest first. */
export function dueUnreminded(ctx: Ctx, now: number, limit: number): number[] {
  return (
    stmt(ctx.sqlite, 'SELECT id FROM tasks INDEXED BY tasks_remind_idx WHERE done_at IS NULL AND reminded_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?').all(now, limit) as Array<{
      id: number
    }>
  ).map((r) => r.id)
}

export function markReminded(ctx: Ctx, ids: number[], now: number): void {
  const s = stmt(ctx.sqlite, 'UPDATE tasks SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL')
  for (const id of ids) s.run(now, id)
}

/** The next reminder's time, or null when none waits. */
export function nextReminderAt(ctx: Ctx): number | null {
  return (stmt(ctx.sqlite, 'SELECT min(due_at) AS at FROM tasks WHERE done_at IS NULL AND reminded_at IS NULL').get() as { at: number | null }).at
}

/** Open "remind me if no reply" tasks of these contacts, created before the reply was written. */
export function waitingForReply(ctx: Ctx, contactIds: number[], before: number): number[] {
  const s = stmt(ctx.sqlite, 'SELECT id FROM tasks INDEXED BY tasks_reply_idx WHERE contact_id = ? AND close_on_reply = 1 AND done_at IS NULL AND created_at <= ?')
  return contactIds.flatMap((c) => (s.all(c, before) as Array<{ id: number }>).map((r) => r.id))
}

/** The workspace's first business's time zone: the business time zone tasks are shown and bucketed in. */
export function businessTimeZone(ctx: Ctx): string {
  return (stmt(ctx.sqlite, 'SELECT timezone AS tz FROM objects ORDER BY id LIMIT 1').get() as { tz: string } | undefined)?.tz ?? 'UTC'
}

export const threadExists = (ctx: Ctx, id: number): boolean => Boolean(stmt(ctx.sqlite, 'SELECT 1 FROM threads WHERE id = ?').get(id))
