// Notes on contacts: the writer's HTML is cleaned like outgoing mail (outbound/outgoingHtml.ts), the author
// is whoever is at the keyboard (users.setCurrent), and each change is one transaction.
import type { z } from 'zod'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { cleanOutgoingHtml } from '../outbound/outgoingHtml'
import { contactExists, deleteNote, getNote, insertNote, notesOf, searchNotes, updateNote, userExists } from '../repos/notes'
import { getSetting, settingKeys } from '../repos/settings'
import { teamState } from '../repos/team'
import { userIdByEmail } from '../repos/users'
import { ftsQuery } from '../repos/inbox'
import type { ListNotes, NewNote, Note, NotePatch } from '../../../shared/crm'
import { htmlToText } from '../../../shared/htmlText'
import { AppError, notFound } from '../../../shared/result'

/** The staff user at the keyboard, or null when none is chosen (or they were removed). */
export function currentUser(ctx: Ctx): number | null {
  // In a team workspace it is the member signed in at this desktop (issue 22 item 5), whoever users.setCurrent chose.
  const team = teamState(ctx.sqlite)
  const member = team && userIdByEmail(ctx, team.userEmail)
  if (member) return member
  const id = Number(getSetting(ctx, settingKeys.currentUser) ?? 0)
  return id > 0 && userExists(ctx, id) ? id : null
}

/** Cleaned HTML and its words; a note with no words (only spaces, or only a stripped script) is refused. */
function body(html: string): { bodyHtml: string; bodyText: string } {
  const bodyHtml = cleanOutgoingHtml(html)
  const bodyText = htmlToText(bodyHtml).replace(/[ \t]+\n/g, '\n').trim()
  if (!bodyText && !/<img\b/i.test(bodyHtml)) throw new AppError('VALIDATION', 'Write something in the note', 'bodyHtml')
  return { bodyHtml, bodyText }
}

export function listNotes(ctx: Ctx, input: z.output<typeof ListNotes>): Note[] {
  if (input.contactId !== undefined && !contactExists(ctx, input.contactId)) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  if (!input.query) return notesOf(ctx, input.contactId!, input.limit)
  try {
    return searchNotes(ctx, ftsQuery(input.query), input.contactId, input.limit)
  } catch (e) {
    // FTS5 reports a query it cannot read as an SQL error: say it in words, on the field.
    if (e instanceof Error && e.name === 'SqliteError') throw new AppError('VALIDATION', 'Search could not be understood; try plain words', 'query')
    throw e
  }
}

export function createNote(ctx: Ctx, input: z.output<typeof NewNote>): Note {
  const b = body(input.bodyHtml)
  const id = ctx.sqlite
    .transaction(() => {
      if (!contactExists(ctx, input.contactId)) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
      return insertNote(ctx, { contactId: input.contactId, authorId: currentUser(ctx), ...b, pinned: input.pinned ?? false, now: ctx.clock.now() })
    })
    .immediate()
  ctx.emit('notes.changed', { contactId: input.contactId })
  return getNote(ctx, id)!
}

export function editNote(ctx: Ctx, input: z.output<typeof NotePatch>): Note {
  const b = input.bodyHtml === undefined ? {} : body(input.bodyHtml)
  ctx.sqlite
    .transaction(() => {
      if (!stmt(ctx.sqlite, 'SELECT 1 FROM contact_notes WHERE id = ?').get(input.id)) throw notFound('Note', input.id)
      updateNote(ctx, input.id, { ...b, pinned: input.pinned, now: ctx.clock.now() })
    })
    .immediate()
  const note = getNote(ctx, input.id)!
  ctx.emit('notes.changed', { contactId: note.contactId })
  return note
}

export function removeNote(ctx: Ctx, id: number): { id: number; deleted: true } {
  const note = getNote(ctx, id)
  if (!note || !ctx.sqlite.transaction(() => deleteNote(ctx, id)).immediate()) throw notFound('Note', id)
  ctx.emit('notes.changed', { contactId: note.contactId })
  return { id, deleted: true }
}
