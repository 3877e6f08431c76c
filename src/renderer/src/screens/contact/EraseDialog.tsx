// "Erase this person" (issue 18): says what goes, with counts, and what stays (the hashed block and the audit
// line), and asks for the address (or name) to be typed before the button works. Nothing is erased until then.
import { useState, type JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { Dialog } from '../../components/Dialog'
import { FormError, TextField } from '../../components/Field'
import { messageOf } from '../../lib/errors'
import { plural } from '../../lib/format'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'

export function EraseDialog({ contact, name, onClose }: { contact: Contact; name: string; onClose: () => void }): JSX.Element {
  const preview = useQuery('contacts.erasePreview', { id: contact.id })
  const expected = contact.email ?? name
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const matches = typed.trim().toLowerCase() === expected.toLowerCase()

  const erase = async () => {
    if (!matches) return setError(`Type ${expected} to confirm`)
    setBusy(true)
    setError(null)
    try {
      await rpc('contacts.erase', { id: contact.id })
      toastOk(`${name} was erased`)
      onClose()
      navigate({ name: 'contacts' })
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
  const p = preview.data
  const removed = p
    ? [
        'their contact record, tags, custom fields and other addresses',
        p.messages && `${plural(p.messages, 'message')} only they are part of${p.attachments ? `, with ${plural(p.attachments, 'attachment')}` : ''}`,
        p.sharedMessages && `their address and name from ${plural(p.sharedMessages, 'message')} shared with other contacts (the messages stay for them)`,
        p.outbox && `the text and recipients of ${plural(p.outbox, 'outbox entry', 'outbox entries')} (mail still waiting is cancelled)`,
        p.drafts && plural(p.drafts, 'draft'),
        p.notes && plural(p.notes, 'note'),
        p.tasks && plural(p.tasks, 'task'),
        p.consent && `${plural(p.consent, 'consent record')}`,
        p.automations && `${plural(p.automations, 'automation enrolment')} (sequences, flows, autoresponders)`,
        p.exports && `${plural(p.exports, 'earlier export')} of their data in the data folder`,
      ].filter((x): x is string => Boolean(x))
    : []
  return (
    <Dialog
      title={`Erase ${name}?`}
      description="For a request to be forgotten. This cannot be undone."
      size="md"
      onClose={onClose}
      onSubmit={() => void erase()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          {/* Not DialogActions: this button waits for the typed confirmation, not only for the work in progress. */}
          <button type="submit" className="btn btn-danger" disabled={busy || !matches || !p}>
            {busy ? 'Erasing…' : 'Erase permanently'}
          </button>
        </>
      }
    >
      {!p && !preview.error && <p className="muted" aria-busy="true">Counting what belongs to {name}…</p>}
      <FormError message={preview.error} />
      {p && (
        <div className="erase-summary">
          <h4>Removed</h4>
          <ul className="erase-list erase-removed">
            {removed.map((r) => (
              <li key={r}>{r.charAt(0).toUpperCase() + r.slice(1)}</li>
            ))}
          </ul>
          <h4>Kept</h4>
          <ul className="erase-list erase-kept">
            <li>
              A scrambled (salted hash) copy of {p.addresses === 1 ? 'their address' : `their ${p.addresses} addresses`}, so they are never imported, added or mailed again. The
              address itself is not kept.
            </li>
            <li>One line in the audit log with these counts, without their name or address.</li>
            {p.messages > 0 && (
              <li>
                Their mail stays on your mail server: Switchboard removes its copies here and will not download those messages again. Delete them in your mail
                provider too if the request covers it.
              </li>
            )}
            {p.backups > 0 && <li>Backups are replaced by one new backup taken now, so no restore brings them back. Earlier restore points are removed.</li>}
          </ul>
          {p.team && (
            <p className="erase-team">
              Every desktop of your team workspace does the same when it next syncs: it removes its own copies of their mail, cuts them out of shared
              mail and replaces its backups.
            </p>
          )}
          <TextField label={`Type ${expected} to confirm`} value={typed} onChange={setTyped} autoComplete="off" />
        </div>
      )}
      <FormError message={error} />
    </Dialog>
  )
}
