// The contact page's story and its header facts (issue 19). Reads only (dispatch tests check it).
import type { z } from 'zod'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { contactExists } from '../repos/notes'
import { decodeIntCursor, encodeCursor } from '../repos/cursor'
import { contactSummaryRow, timelineRows } from '../repos/timeline'
import { getTask } from './tasks'
import { TimelineKind, type ContactEvent, type ListTimeline } from '../../../shared/crm'
import { AppError } from '../../../shared/result'

const ALL = TimelineKind.options

function mustExist(ctx: Ctx, contactId: number): void {
  if (!contactExists(ctx, contactId)) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
}

export function listTimeline(ctx: Ctx, input: z.output<typeof ListTimeline>): { items: ContactEvent[]; nextCursor: string | null } {
  mustExist(ctx, input.contactId)
  const after = input.cursor ? decodeIntCursor(input.cursor, 2) : null
  const rows = timelineRows(ctx, input.contactId, [...new Set(input.kinds ?? ALL)], after && { at: after[0]!, k: after[1]! }, input.limit + 1)
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  return {
    items: page.map(({ k: _k, ...r }) => ({ ...r, at: iso(r.at), detail: r.detail.replace(/\s+/g, ' ').trim(), dueAt: r.dueAt === null ? null : iso(r.dueAt) })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.at, last.k]) : null,
  }
}

export function contactSummary(ctx: Ctx, contactId: number) {
  mustExist(ctx, contactId)
  const r = contactSummaryRow(ctx, contactId)
  return {
    lastContactedAt: r.lastOut ? iso(r.lastOut) : null,
    lastInboundAt: r.lastIn ? iso(r.lastIn) : null,
    nextTask: r.nextTaskId === null ? null : getTask(ctx, r.nextTaskId),
    openTasks: r.openTasks,
    notes: r.notes,
  }
}
