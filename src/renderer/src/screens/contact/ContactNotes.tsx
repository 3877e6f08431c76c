// Notes on a contact, as in HubSpot and Monica: a rich-text composer on top (what is typed is kept across a
// reload and leaving asks first), then the notes, pinned ones first, each with its author and time, and
// pin, edit and delete.
import { useEffect, useState, type JSX } from 'react'
import { AlertLine, FieldAlert } from '../../components/Field'
import type { Note } from '../../../../shared/crm'
import { useConfirm } from '../../components/ConfirmDialog'
import { Icon } from '../../components/Icons'
import { RichEditor } from '../../components/RichEditor'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import { fullTime, listTime } from '../../lib/inbox'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import { Card } from '../../components/Card'

export function ContactNotes({ contactId }: { contactId: number }): JSX.Element {
  const notes = useQuery('notes.list', { contactId }, { events: ['notes.changed'] })
  const deleting = useConfirm((note: Note) => ({
    title: 'Delete this note?',
    message: 'The note is removed for everyone. This cannot be undone.',
    confirmLabel: 'Delete note',
    onConfirm: () => rpc('notes.delete', { id: note.id }),
    done: 'Note deleted',
  }))
  return (
    <Card id="c-notes" title="Notes" className="notes-card">
      <div className="card-body">
        <NoteComposer contactId={contactId} />
        <AlertLine message={notes.error} />
        {notes.data && notes.data.length > 0 && (
          <ul className="note-list" aria-label="Notes">
            {notes.data.map((n) => (
              <NoteItem key={n.id} note={n} onDelete={deleting.ask} />
            ))}
          </ul>
        )}
      </div>
      {deleting.dialog}
    </Card>
  )
}

function NoteComposer({ contactId }: { contactId: number }): JSX.Element {
  const key = `switchboard.noteDraft.${contactId}`
  const [html, setHtml] = useState(() => localStorage.getItem(key) ?? '')
  const [pinned, setPinned] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // The editor's value is '' when it holds nothing (richValue.ts).
  const empty = html.trim() === ''
  useEffect(() => {
    if (empty) localStorage.removeItem(key)
    else localStorage.setItem(key, html)
  }, [key, html, empty])
  const add = async (): Promise<boolean> => {
    if (empty) {
      setError('Write something in the note')
      return false
    }
    setBusy(true)
    try {
      await rpc('notes.create', { contactId, bodyHtml: html, pinned })
      setHtml('')
      setPinned(false)
      setError(null)
      toastOk('Note added')
      return true
    } catch (err) {
      toastError(err)
      return false
    } finally {
      setBusy(false)
    }
  }
  const leaving = useUnsavedChanges({ dirty: !empty, save: add, discard: () => setHtml(''), what: 'this note' })
  return (
    <div className="note-composer">
      <RichEditor label="New note" value={html} onChange={(v) => (setHtml(v), setError(null))} placeholder="Write a note: what they said, what they want…" invalid={Boolean(error)} />
      <FieldAlert message={error} />
      <div className="note-composer-actions">
        <label className="task-add-option">
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} /> Pin to top
        </label>
        <button type="button" className="btn btn-primary btn-sm" disabled={busy || empty} onClick={() => void add()}>
          {busy ? 'Adding…' : 'Add note'}
        </button>
      </div>
      {leaving}
    </div>
  )
}

function NoteItem({ note, onDelete }: { note: Note; onDelete: (n: Note) => void }): JSX.Element {
  const [editing, setEditing] = useState<string | null>(null)
  const dirty = editing !== null && editing !== note.bodyHtml
  const save = async (): Promise<boolean> => {
    if (editing === null) return true
    try {
      await rpc('notes.update', { id: note.id, bodyHtml: editing })
      setEditing(null)
      toastOk('Note saved')
      return true
    } catch (err) {
      toastError(err)
      return false
    }
  }
  const leaving = useUnsavedChanges({ dirty, save, discard: () => setEditing(null), what: 'your changes to this note' })
  const pin = () => void rpc('notes.update', { id: note.id, pinned: !note.pinned }).catch(toastError)
  return (
    <li className={`note-item${note.pinned ? ' is-pinned' : ''}`} aria-label={`Note by ${note.authorName ?? 'someone'}`}>
      <div className="note-head">
        <span className="note-author">{note.authorName ?? 'Unknown author'}</span>
        <time className="note-time" dateTime={note.createdAt} title={fullTime(note.createdAt)}>
          {listTime(note.createdAt)}
        </time>
        {note.updatedAt !== note.createdAt && <span className="note-edited">edited</span>}
        {note.pinned && <span className="badge badge-amber badge-sm">Pinned</span>}
        <span className="note-actions">
          <button type="button" className="btn btn-ghost btn-sm" onClick={pin}>
            {note.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(note.bodyHtml)} disabled={editing !== null}>
            Edit
          </button>
          <button type="button" className="icon-button" aria-label="Delete note" onClick={() => onDelete(note)}>
            <Icon name="trash" size={14} />
          </button>
        </span>
      </div>
      {editing === null ? (
        // Cleaned by the engine with the outgoing-mail sanitiser (no scripts, handlers, frames or forms).
        <div className="note-body" dangerouslySetInnerHTML={{ __html: note.bodyHtml }} />
      ) : (
        <div className="note-edit">
          <RichEditor label="Edit note" value={editing} onChange={setEditing} autoFocus />
          <div className="note-composer-actions">
            <button type="button" className="btn btn-sm" onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary btn-sm" disabled={!dirty} onClick={() => void save()}>
              Save note
            </button>
          </div>
        </div>
      )}
      {leaving}
    </li>
  )
}
