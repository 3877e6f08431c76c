// zod models of the CRM around the mail (issue 19): notes on contacts, tasks with reminders, and the
// contact page's one timeline. Times are ISO strings; a due time must carry its offset (or Z), so what the
// user meant is never guessed from the engine's own zone.
import { z } from 'zod'
import { Id, IsoTime, Page, Stamps } from './models'

/** The calendar date written exists (Date.parse would roll 31 February over into March). */
function realDate(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number]
  const day = new Date(Date.UTC(y, m - 1, d))
  return Number.isFinite(Date.parse(s)) && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && +s.slice(11, 13) < 24
}

/** "2026-12-04T10:00:00-05:00" or "…Z": an instant, not a wall-clock time. */
export const DueAt = z
  .string({ error: 'Give a due time' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'Give the due time as a date and time with its offset, like 2026-12-04T10:00:00-05:00')
  .refine(realDate, 'That due time is not a real date')

const NoteBody = z
  .string({ error: 'Write something in the note' })
  .max(200_000, 'A note can be 200,000 characters at most')
const Title = z.string({ error: 'Give the task a title' }).trim().min(1, 'Give the task a title').max(500, 'A task title can be 500 characters at most')

// ---------- notes ----------
export const Note = z.object({
  id: Id,
  contactId: Id,
  bodyHtml: z.string(),
  /** The note as plain text (search snippet, timeline line). */
  bodyText: z.string(),
  pinned: z.boolean(),
  authorId: Id.nullable(),
  authorName: z.string().nullable(),
  /** Whose note it is (a search lists notes of several contacts). */
  contactName: z.string(),
  ...Stamps,
})
export type Note = z.infer<typeof Note>
/** One contact's notes (pinned first, then newest), or with `query` a full-text search over every note. */
export const ListNotes = z
  .object({ contactId: Id.optional(), query: z.string().trim().max(500, 'A search can be 500 characters at most').optional(), limit: z.number().int().min(1).max(500).default(200) })
  .strict()
  .refine((v) => v.contactId !== undefined || (v.query ?? '') !== '', { message: 'Choose a contact or type something to search for', path: ['contactId'] })
export const NewNote = z.object({ contactId: Id, bodyHtml: NoteBody, pinned: z.boolean().optional() }).strict()
export const NotePatch = z.object({ id: Id, bodyHtml: NoteBody.optional(), pinned: z.boolean().optional() }).strict()

// ---------- tasks ----------
export const DueBucket = z.enum(['overdue', 'today', 'upcoming'])
export type DueBucket = z.infer<typeof DueBucket>
export const Task = z.object({
  id: Id,
  title: z.string(),
  contactId: Id.nullable(),
  contactName: z.string().nullable(),
  threadId: Id.nullable(),
  assigneeId: Id.nullable(),
  assigneeName: z.string().nullable(),
  dueAt: IsoTime,
  /** Where the due time falls now, in the business's time zone; null once done. */
  due: DueBucket.nullable(),
  done: z.boolean(),
  doneAt: IsoTime.nullable(),
  /** Completes itself when the contact next writes ("remind me if no reply"). */
  closeOnReply: z.boolean(),
  /** The inbound message that closed it, when a reply did. */
  closedByMessageId: Id.nullable(),
  remindedAt: IsoTime.nullable(),
  ...Stamps,
  // issue 22 item 5: who wrote it down (a staff user; null for automation or nobody chosen)
  createdById: Id.nullable().optional(),
  createdByName: z.string().nullable().optional(),
})
export type Task = z.infer<typeof Task>
export const ListTasks = z
  .object({
    due: DueBucket.optional(),
    assigneeId: Id.optional(),
    contactId: Id.optional(),
    /** Open tasks by default; 'done' for the finished ones, 'all' for both. */
    status: z.enum(['open', 'done', 'all']).default('open'),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .strict()
  .default({ status: 'open', limit: 500 })
export const TaskList = z.object({
  items: z.array(Task),
  /** The business time zone the buckets were cut in. */
  timeZone: z.string(),
})
export const NewTask = z
  .object({
    title: Title,
    contactId: Id.nullable().optional(),
    threadId: Id.nullable().optional(),
    dueAt: DueAt,
    /** A staff user; defaults to whoever is at the keyboard. */
    assigneeId: Id.nullable().optional(),
    closeOnReply: z.boolean().optional(),
  })
  .strict()
  .refine((v) => !v.closeOnReply || v.contactId != null, { message: 'A task that waits for a reply needs a contact', path: ['contactId'] })
export const TaskPatch = z
  .object({ id: Id, title: Title.optional(), contactId: Id.nullable().optional(), dueAt: DueAt.optional(), assigneeId: Id.nullable().optional(), done: z.boolean().optional() })
  .strict()
export const CompleteTask = z.object({ id: Id, done: z.boolean().default(true) }).strict()
export const TaskCount = z.object({ overdue: z.number(), today: z.number() })

// ---------- the contact page's timeline ----------
export const TimelineKind = z.enum(['mail', 'note', 'task', 'automation'])
export type TimelineKind = z.infer<typeof TimelineKind>
export const ContactEvent = z.object({
  kind: TimelineKind,
  /** What happened, for icons and words: 'inbound' | 'outbound' | 'note' | 'task' | 'enrolled' | 'step' | 'stopped' | 'autoresponder'. */
  type: z.string(),
  /** The row's own id in its table (messages, outbound_messages, contact_notes, tasks, sequence_contacts, …). */
  id: Id,
  at: IsoTime,
  title: z.string(),
  detail: z.string(),
  threadId: Id.nullable(),
  outboundId: Id.nullable(),
  /** Outbox status, task state ('open' | 'done'), or the enrolment's end ('replied', 'bounced', …). */
  status: z.string().nullable(),
  /** Tasks: their due time. */
  dueAt: IsoTime.nullable(),
})
export type ContactEvent = z.infer<typeof ContactEvent>
export const ListTimeline = z
  .object({ contactId: Id, kinds: z.array(TimelineKind).min(1, 'Choose at least one kind').max(4).optional(), cursor: z.string().max(400).optional(), limit: z.number().int().min(1).max(200).default(50) })
  .strict()
export const TimelineEventsPage = Page(ContactEvent)
/** The top of the contact page: when we last wrote or heard, and the next open task. */
export const ContactSummary = z.object({
  lastContactedAt: IsoTime.nullable(),
  lastInboundAt: IsoTime.nullable(),
  nextTask: Task.nullable(),
  openTasks: z.number(),
  notes: z.number(),
})
