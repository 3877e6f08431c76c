// notes.*: notes on a contact (issue 19). Boundary only; the rules are in services/notes.ts.
import type { HandlersFor } from '../context'
import { createNote, editNote, listNotes, removeNote } from '../services/notes'

export const notesHandlers: HandlersFor<'notes'> = {
  'notes.list': (ctx, input) => listNotes(ctx, input),
  'notes.create': (ctx, input) => createNote(ctx, input),
  'notes.update': (ctx, input) => editNote(ctx, input),
  'notes.delete': (ctx, { id }) => removeNote(ctx, id),
}
