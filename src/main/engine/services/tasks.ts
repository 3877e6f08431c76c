// Tasks and reminders (issue 19): due times are instants (stored UTC ms) bucketed in the business's time
// zone; a reminder loop emits 'tasks.due' once per task (reminded_at is set in the same transaction),
// catching up on start after the app was closed; "remind me if no reply" tasks close when the contact's
// next real mail is stored (the 'messages.received' hook, inside the store's transaction).
import type { z } from 'zod'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { nextLocalMidnight } from '../outbound/localDay'
import { wakeLoop } from '../wakeLoop'
import { contactExists, userExists } from '../repos/notes'
import {
  businessTimeZone,
  countDue,
  deleteTaskRow,
  dueUnreminded,
  insertTask,
  listTaskRows,
  markReminded,
  nextReminderAt,
  taskRow,
  threadExists,
  updateTaskRow,
  waitingForReply,
  type TaskRow,
} from '../repos/tasks'
import { currentUser } from './notes'
import type { DueBucket, ListTasks, NewTask, Task, TaskPatch } from '../../../shared/crm'
import { AppError, notFound } from '../../../shared/result'

/** Where `dueAt` falls at `now`: before now, later today (business zone), or after today. */
export function bucketOf(dueAt: number, now: number, endOfDay: number): DueBucket {
  return dueAt < now ? 'overdue' : dueAt < endOfDay ? 'today' : 'upcoming'
}

function toTask(r: TaskRow, now: number, endOfDay: number): Task {
  return {
    id: r.id,
    title: r.title,
    contactId: r.contactId,
    contactName: r.contactName,
    threadId: r.threadId,
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeName,
    dueAt: iso(r.dueAt),
    due: r.doneAt === null ? bucketOf(r.dueAt, now, endOfDay) : null,
    done: r.doneAt !== null,
    doneAt: r.doneAt === null ? null : iso(r.doneAt),
    closeOnReply: r.closeOnReply === 1,
    closedByMessageId: r.closedByMessageId,
    remindedAt: r.remindedAt === null ? null : iso(r.remindedAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    createdById: r.createdById,
    createdByName: r.createdByName,
  }
}

/** Now, the end of today in the business zone, and the zone. */
function today(ctx: Ctx): { now: number; end: number; tz: string } {
  const now = ctx.clock.now()
  const tz = businessTimeZone(ctx)
  return { now, end: nextLocalMidnight(now, tz), tz }
}

export function getTask(ctx: Ctx, id: number): Task {
  const r = taskRow(ctx, id)
  if (!r) throw notFound('Task', id)
  const { now, end } = today(ctx)
  return toTask(r, now, end)
}

export function listTasks(ctx: Ctx, input: z.output<typeof ListTasks>, opts: { index?: boolean } = {}): { items: Task[]; timeZone: string } {
  const { now, end, tz } = today(ctx)
  // A due bucket is about open tasks only; its range is cut at now and at the end of today.
  const range = input.due === 'overdue' ? [null, now] : input.due === 'today' ? [now, end] : input.due === 'upcoming' ? [end, null] : [null, null]
  const rows = listTaskRows(
    ctx,
    {
      status: input.due ? 'open' : input.status,
      from: range[0] ?? null,
      until: range[1] ?? null,
      assigneeId: input.assigneeId ?? null,
      contactId: input.contactId ?? null,
      limit: input.limit,
    },
    opts.index,
  )
  return { items: rows.map((r) => toTask(r, now, end)), timeZone: tz }
}

export function countTasks(ctx: Ctx): { overdue: number; today: number } {
  const { now, end } = today(ctx)
  return countDue(ctx, now, end)
}

function checkRefs(ctx: Ctx, v: { contactId?: number | null; threadId?: number | null; assigneeId?: number | null }): void {
  if (v.contactId != null && !contactExists(ctx, v.contactId)) throw new AppError('NOT_FOUND', `Contact ${v.contactId} does not exist`, 'contactId')
  if (v.threadId != null && !threadExists(ctx, v.threadId)) throw new AppError('NOT_FOUND', `Conversation ${v.threadId} does not exist`, 'threadId')
  if (v.assigneeId != null && !userExists(ctx, v.assigneeId)) throw new AppError('NOT_FOUND', `Staff user ${v.assigneeId} does not exist`, 'assigneeId')
}

const changed = (ctx: Ctx, ids: number[]) => ctx.emit('tasks.changed', { ids })

export function createTask(ctx: Ctx, input: z.output<typeof NewTask>): Task {
  const dueAt = Date.parse(input.dueAt)
  const id = ctx.sqlite
    .transaction(() => {
      checkRefs(ctx, input)
      const now = ctx.clock.now()
      const me = currentUser(ctx)
      const id = insertTask(ctx, {
        title: input.title,
        contactId: input.contactId ?? null,
        threadId: input.threadId ?? null,
        assigneeId: input.assigneeId === undefined ? me : input.assigneeId,
        createdBy: me,
        dueAt,
        // A task written down already late is on the Today list; it does not also pop up a reminder.
        remindedAt: dueAt <= now ? now : null,
        closeOnReply: input.closeOnReply ?? false,
        now,
      })
      ctx.hooks.emit('tasks.scheduled', { ids: [id] })
      return id
    })
    .immediate()
  changed(ctx, [id])
  return getTask(ctx, id)
}

export function updateTask(ctx: Ctx, input: z.output<typeof TaskPatch>): Task {
  ctx.sqlite
    .transaction(() => {
      const r = taskRow(ctx, input.id)
      if (!r) throw notFound('Task', input.id)
      checkRefs(ctx, input)
      const now = ctx.clock.now()
      const set: Parameters<typeof updateTaskRow>[2] = {}
      if (input.title !== undefined) set.title = input.title
      if (input.contactId !== undefined) set.contact_id = input.contactId
      if (input.assigneeId !== undefined) set.assignee_user_id = input.assigneeId
      if (input.dueAt !== undefined) {
        set.due_at = Date.parse(input.dueAt)
        // A new due time earns a new reminder (once), unless it is already past.
        if (set.due_at !== r.dueAt) set.reminded_at = set.due_at <= now ? now : null
      }
      if (input.done !== undefined) Object.assign(set, doneChange(r, input.done, now))
      updateTaskRow(ctx, input.id, set, now)
      if (set.due_at !== undefined || input.done === false) ctx.hooks.emit('tasks.scheduled', { ids: [input.id] })
    })
    .immediate()
  changed(ctx, [input.id])
  return getTask(ctx, input.id)
}

/** Done sets done_at; undone clears it (and who closed it), keeping the reminder state as it was. */
function doneChange(r: TaskRow, done: boolean, now: number) {
  if (done) return r.doneAt === null ? { done_at: now } : {}
  return r.doneAt === null ? {} : { done_at: null, closed_by_message_id: null }
}

export function completeTask(ctx: Ctx, id: number, done: boolean): Task {
  return updateTask(ctx, { id, done })
}

export function deleteTask(ctx: Ctx, id: number): { id: number; deleted: true } {
  if (!ctx.sqlite.transaction(() => deleteTaskRow(ctx, id)).immediate()) throw notFound('Task', id)
  changed(ctx, [id])
  return { id, deleted: true }
}

/** "Remind me if no reply": the contact wrote, so the reminder is not needed. Runs inside the store's transaction. */
export function wireTaskHooks(ctx: Ctx): Array<() => void> {
  return [
    ctx.hooks.on('messages.received', ({ messageId, contactIds, date }) => {
      const ids = waitingForReply(ctx, contactIds, date)
      if (!ids.length) return
      const now = ctx.clock.now()
      for (const id of ids) updateTaskRow(ctx, id, { done_at: now, closed_by_message_id: messageId }, now)
      // Renderers hear of it after the store's transaction has committed.
      setImmediate(() => changed(ctx, ids))
    }),
  ]
}

export interface TaskReminders {
  start(): void
  wake(): void
  /** Sends every due reminder now; returns how many. */
  runDue(): number
  stop(): void
}

const BATCH = 200
const RETRY_MS = 5_000

/**
 * The reminder loop: sleeps until the next due time (at most a minute, so a jumping clock is noticed),
 * marks due tasks reminded and emits 'tasks.due' for each after the commit. Started, it catches up on
 * everything that came due while the app was closed.
 */
export function createTaskReminders(ctx: Ctx, log: (m: string) => void): TaskReminders {
  let off: (() => void) | undefined

  function runDue(): number {
    let total = 0
    for (;;) {
      const now = ctx.clock.now()
      const ids = ctx.sqlite
        .transaction(() => {
          const ids = dueUnreminded(ctx, now, BATCH)
          markReminded(ctx, ids, now)
          return ids
        })
        .immediate()
      for (const id of ids) ctx.emit('tasks.due', { task: getTask(ctx, id) })
      if (ids.length) changed(ctx, ids)
      total += ids.length
      if (ids.length < BATCH) return total
    }
  }

  const loop = wakeLoop(ctx.clock, { turn: () => (runDue(), false), nextAt: () => nextReminderAt(ctx), idleMs: 60_000 }, { name: 'tasks', log, retryMs: RETRY_MS })

  return {
    start() {
      off ??= ctx.hooks.on('tasks.scheduled', () => loop.wake())
      loop.start()
    },
    wake: loop.wake,
    runDue,
    stop() {
      loop.stop()
      off?.()
      off = undefined
    },
  }
}
