import { useState, type JSX } from 'react'
import type { BizObject, Mailbox } from '../../../../shared/models'
import { Dialog } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { useFormErrors } from '../../lib/errors'
import { sentence } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import { DraftError, mailboxDraft, toMailboxPatch, toNewMailbox } from './mailboxDraft'
import { MailboxFields } from './MailboxFields'

/** Add or edit a mailbox; saved passwords stay saved unless a new one is typed. */
export function MailboxDialog({ object, mailbox, onClose }: { object: BizObject; mailbox: Mailbox | null; onClose: () => void }): JSX.Element {
  const [draft, setDraft] = useState(() => mailboxDraft(mailbox ?? undefined))
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()

  const save = async () => {
    setBusy(true)
    errors.clear()
    try {
      if (mailbox) await rpc('mailboxes.update', toMailboxPatch(draft, mailbox.id))
      else await rpc('mailboxes.create', toNewMailbox(draft, object.id))
      toastOk(mailbox ? 'Mailbox saved' : 'Mailbox added')
      onClose()
    } catch (err) {
      if (err instanceof DraftError) errors.set(err.field, err.message)
      else errors.take(err)
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={mailbox ? 'Edit mailbox' : 'Add mailbox'}
      description={`A mailbox ${object.name} sends from.`}
      size="lg"
      onClose={onClose}
      onSubmit={save}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : mailbox ? 'Save mailbox' : 'Add mailbox'}
          </button>
        </>
      }
    >
      {mailbox?.status === 'auth_error' && (
        <div className="form-error">
          <strong>Sign-in failed.</strong> {sentence(mailbox.statusReason ?? 'The server refused the login')} Check the username and type the password again; held messages resume once it is saved.
        </div>
      )}
      <MailboxFields draft={draft} onChange={setDraft} errors={errors.fields} />
      <FormError message={errors.form} />
    </Dialog>
  )
}
