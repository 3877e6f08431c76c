// Drafts: saved as typed (even offline, even half-finished); checked strictly only when sent.
import type { Draft } from '../../../shared/outbound'
import { SendMail } from '../../../shared/outbound'
import { AppError } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { fromZod } from '../dispatch'
import { toOutbound, type OutboxRow } from '../repos/outbox'
import { queueMessage } from '../services/outbox'
import { cleanOutgoingHtml } from '../outbound/outgoingHtml'

interface DraftRow {
  id: number
  profile_id: number | null
  contact_id: number | null
  to_json: string
  cc_json: string
  subject: string
  html: string
  sent_as: number | null
  created_at: number
  updated_at: number
}

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  profileId: r.profile_id,
  contactId: r.contact_id,
  to: JSON.parse(r.to_json) as string[],
  cc: JSON.parse(r.cc_json) as string[],
  subject: r.subject,
  html: r.html,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
})

function requireDraft(ctx: Ctx, id: number, field = 'id'): DraftRow {
  const r = ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ? AND sent_as IS NULL').get(id) as DraftRow | undefined
  if (!r) throw new AppError('NOT_FOUND', `Draft ${id} does not exist`, field)
  return r
}

/** While its message sits in the undo window the draft is hidden, not deleted. */
export function hideDraft(ctx: Ctx, draftId: number, outboundId: number): void {
  requireDraft(ctx, draftId, 'draftId')
  ctx.sqlite.prepare('UPDATE drafts SET sent_as = ? WHERE id = ?').run(outboundId, draftId)
}

/** Undo send: the draft it came from comes back (or a new one is made from the message). */
export function createDraftFrom(ctx: Ctx, row: OutboxRow): Draft {
  const now = ctx.clock.now()
  if (row.draftId) {
    const back = ctx.sqlite.prepare('UPDATE drafts SET sent_as = NULL, updated_at = ? WHERE id = ? AND sent_as = ?').run(now, row.draftId, row.id)
    if (back.changes) return toDraft(ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ?').get(row.draftId) as DraftRow)
  }
  const info = ctx.sqlite
    .prepare('INSERT INTO drafts (profile_id, contact_id, to_json, cc_json, subject, html, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(row.profileId, row.contactId, row.toJson, row.ccJson, row.subject, row.html, now, now)
  return toDraft(ctx.sqlite.prepare('SELECT * FROM drafts WHERE id = ?').get(info.lastInsertRowid) as DraftRow)
}

export const draftHandlers: HandlersFor<'drafts'> = {
  'drafts.save': (ctx, input) => {
    const now = ctx.clock.now()
    const values = [input.profileId, input.contactId, JSON.stringify(input.to), JSON.stringify(input.cc), input.subject, cleanOutgoingHtml(input.html)]
    let id = input.id
    if (id !== undefined) {
      requireDraft(ctx, id)
      ctx.sqlite.prepare('UPDATE drafts SET profile_id = ?, contact_id = ?, to_json = ?, cc_json = ?, subject = ?, html = ?, updated_at = ? WHERE id = ?').run(...values, now, id)
    } else {
      const info = ctx.sqlite
        .prepare('INSERT INTO drafts (profile_id, contact_id, to_json, cc_json, subject, html, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(...values, now, now)
      id = Number(info.lastInsertRowid)
    }
    ctx.emit('drafts.changed', {})
    return toDraft(requireDraft(ctx, id))
  },

  'drafts.list': (ctx) => (ctx.sqlite.prepare('SELECT * FROM drafts WHERE sent_as IS NULL ORDER BY updated_at DESC, id DESC').all() as DraftRow[]).map(toDraft),

  'drafts.get': (ctx, { id }) => toDraft(requireDraft(ctx, id)),

  'drafts.delete': (ctx, { id }) => {
    requireDraft(ctx, id)
    ctx.sqlite.prepare('DELETE FROM drafts WHERE id = ?').run(id)
    ctx.emit('drafts.changed', {})
    return { id, deleted: true as const }
  },

  'drafts.send': (ctx, { draftId, sendAt }) => {
    const d = requireDraft(ctx, draftId, 'draftId')
    // The same rules as mail.send, so a draft can never leave with an address mail.send would refuse.
    const parsed = SendMail.safeParse({
      profileId: d.profile_id ?? undefined,
      to: JSON.parse(d.to_json),
      cc: JSON.parse(d.cc_json),
      subject: d.subject,
      html: d.html,
      contactId: d.contact_id ?? undefined,
      sendAt,
    })
    if (!parsed.success) {
      const { message, field } = fromZod(parsed.error)
      throw new AppError('VALIDATION', message, field)
    }
    const input = parsed.data
    const row = ctx.sqlite.transaction(() => {
      const r = queueMessage(ctx, { ...input, sendAt: input.sendAt ? Date.parse(input.sendAt) : undefined, source: 'compose', undoMs: ctx.outbound.undoMs, draftId })
      hideDraft(ctx, draftId, r.id)
      return r
    })()
    ctx.emit('outbox.changed', { ids: [row.id] })
    ctx.emit('drafts.changed', {})
    ctx.outbound.scheduler.wake()
    return toOutbound(row)
  },
}
