// Queries of contact notes: one contact's list (pinned first, newest first), full-text search over every
// note (notes_fts, kept by triggers in 0014), and the row writes the service wraps in transactions.
import type { Ctx } from '../context'
import { iso } from '../clock'
import { stmt } from '../db/stmt'
import type { Note } from '../../../shared/crm'

interface NoteRow {
  id: number
  contactId: number
  bodyHtml: string
  bodyText: string
  pinned: number
  authorId: number | null
  authorName: string | null
  contactName: string
  createdAt: number
  updatedAt: number
}

const COLS = `n.id, n.contact_id AS contactId, n.body_html AS bodyHtml, n.body_text AS bodyText, n.pinned, n.author_user_id AS authorId,
  u.name AS authorName, coalesce(nullif(trim(c.first_name || ' ' || c.last_name), ''), c.email, 'Contact ' || c.id) AS contactName,
  n.created_at AS createdAt, n.updated_at AS updatedAt`
const FROM = 'contact_notes n JOIN contacts c ON c.id = n.contact_id LEFT JOIN users u ON u.id = n.author_user_id'

const toNote = (r: NoteRow): Note => ({ ...r, pinned: r.pinned === 1, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })

export function getNote(ctx: Ctx, id: number): Note | null {
  const r = stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE n.id = ?`).get(id) as NoteRow | undefined
  return r ? toNote(r) : null
}

/** Pinned notes first, then newest first (the index contact_notes_contact_idx walks it backwards). */
export function notesOf(ctx: Ctx, contactId: number, limit: number): Note[] {
  return (
    stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE n.contact_id = ? ORDER BY n.pinned DESC, n.created_at DESC, n.id DESC LIMIT ?`).all(contactId, limit) as NoteRow[]
  ).map(toNote)
}

/** Notes whose words match an FTS5 query (already built by ftsQuery), optionally of one contact, best first. */
export function searchNotes(ctx: Ctx, match: string, contactId: number | undefined, limit: number): Note[] {
  return (
    stmt(
      ctx.sqlite,
      `SELECT ${COLS} FROM notes_fts f JOIN contact_notes n ON n.id = f.rowid JOIN contacts c ON c.id = n.contact_id LEFT JOIN users u ON u.id = n.author_user_id
        WHERE notes_fts MATCH @match AND (@contact IS NULL OR n.contact_id = @contact)
        ORDER BY n.pinned DESC, f.rank, n.id DESC LIMIT @limit`,
    ).all({ match, contact: contactId ?? null, limit }) as NoteRow[]
  ).map(toNote)
}

export function insertNote(ctx: Ctx, n: { contactId: number; authorId: number | null; bodyHtml: string; bodyText: string; pinned: boolean; now: number }): number {
  return Number(
    stmt(
      ctx.sqlite,
      'INSERT INTO contact_notes (contact_id, author_user_id, body_html, body_text, pinned, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(n.contactId, n.authorId, n.bodyHtml, n.bodyText, n.pinned ? 1 : 0, n.now, n.now).lastInsertRowid,
  )
}

export function updateNote(ctx: Ctx, id: number, p: { bodyHtml?: string; bodyText?: string; pinned?: boolean; now: number }): void {
  stmt(
    ctx.sqlite,
    `UPDATE contact_notes SET body_html = coalesce(@html, body_html), body_text = coalesce(@text, body_text),
       pinned = coalesce(@pinned, pinned), updated_at = @now WHERE id = @id`,
  ).run({ id, html: p.bodyHtml ?? null, text: p.bodyText ?? null, pinned: p.pinned === undefined ? null : p.pinned ? 1 : 0, now: p.now })
}

export function deleteNote(ctx: Ctx, id: number): boolean {
  return stmt(ctx.sqlite, 'DELETE FROM contact_notes WHERE id = ?').run(id).changes > 0
}

export const contactExists = (ctx: Ctx, id: number): boolean => Boolean(stmt(ctx.sqlite, 'SELECT 1 FROM contacts WHERE id = ?').get(id))
export const userExists = (ctx: Ctx, id: number): boolean => Boolean(stmt(ctx.sqlite, 'SELECT 1 FROM users WHERE id = ?').get(id))
