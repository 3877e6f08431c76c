// Queries of drafts. A draft whose message sits in the undo window has `sent_as` set: hidden, not deleted.
import type { ReplyMode } from '../../../shared/outbound'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export interface DraftRow {
  id: number
  profile_id: number | null
  contact_id: number | null
  to_json: string
  cc_json: string
  bcc_json: string
  subject: string
  html: string
  reply_to_message_id: number | null
  reply_mode: ReplyMode | null
  sent_as: number | null
  template_id: number | null
  created_at: number
  updated_at: number
}

/** What a draft holds, as stored (addresses as JSON arrays, HTML already cleaned). */
export interface DraftValues {
  profileId: number | null
  contactId: number | null
  toJson: string
  ccJson: string
  bccJson: string
  subject: string
  html: string
}

/** A draft the user can see (not hidden behind a message in its undo window). */
export const visibleDraft = (ctx: Ctx, id: number) => stmt(ctx.sqlite, 'SELECT * FROM drafts WHERE id = ? AND sent_as IS NULL').get(id) as DraftRow | undefined
export const draftById = (ctx: Ctx, id: number) => stmt(ctx.sqlite, 'SELECT * FROM drafts WHERE id = ?').get(id) as DraftRow | undefined

/** Visible drafts, newest first: all, the reply drafts of one message, or those of one conversation. */
export function listDrafts(ctx: Ctx, by: { replyTo?: number; threadId?: number }): DraftRow[] {
  const where =
    by.replyTo !== undefined ? 'AND reply_to_message_id = ?' : by.threadId !== undefined ? 'AND reply_to_message_id IN (SELECT id FROM messages WHERE thread_id = ?)' : ''
  const arg = by.replyTo ?? by.threadId
  return stmt(ctx.sqlite, `SELECT * FROM drafts WHERE sent_as IS NULL ${where} ORDER BY updated_at DESC, id DESC`).all(...(arg === undefined ? [] : [arg])) as DraftRow[]
}

export function insertDraft(ctx: Ctx, v: DraftValues, replyTo: { messageId: number; mode: ReplyMode } | null, now: number): number {
  const info = stmt(
    ctx.sqlite,
    `INSERT INTO drafts (profile_id, contact_id, to_json, cc_json, bcc_json, subject, html, reply_to_message_id, reply_mode, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(v.profileId, v.contactId, v.toJson, v.ccJson, v.bccJson, v.subject, v.html, replyTo?.messageId ?? null, replyTo?.mode ?? null, now, now)
  return Number(info.lastInsertRowid)
}

export function updateDraft(ctx: Ctx, id: number, v: DraftValues, now: number): void {
  stmt(ctx.sqlite, 'UPDATE drafts SET profile_id = ?, contact_id = ?, to_json = ?, cc_json = ?, bcc_json = ?, subject = ?, html = ?, updated_at = ? WHERE id = ?').run(
    v.profileId,
    v.contactId,
    v.toJson,
    v.ccJson,
    v.bccJson,
    v.subject,
    v.html,
    now,
    id,
  )
}

export const setDraftTemplate = (ctx: Ctx, id: number, templateId: number | null): void =>
  void stmt(ctx.sqlite, 'UPDATE drafts SET template_id = ? WHERE id = ?').run(templateId, id)

export const deleteDraft = (ctx: Ctx, id: number): void => void stmt(ctx.sqlite, 'DELETE FROM drafts WHERE id = ?').run(id)

/** Hides a draft behind the message it became. */
export const setSentAs = (ctx: Ctx, draftId: number, outboundId: number): void => void stmt(ctx.sqlite, 'UPDATE drafts SET sent_as = ? WHERE id = ?').run(outboundId, draftId)

/** Shows a draft again if it is still hidden behind this message; false when it is not (deleted, or another). */
export const unhideDraft = (ctx: Ctx, draftId: number, outboundId: number, now: number): boolean =>
  stmt(ctx.sqlite, 'UPDATE drafts SET sent_as = NULL, updated_at = ? WHERE id = ? AND sent_as = ?').run(now, draftId, outboundId).changes > 0

export const messageExists = (ctx: Ctx, id: number): boolean => !!stmt(ctx.sqlite, 'SELECT 1 FROM messages WHERE id = ?').get(id)
