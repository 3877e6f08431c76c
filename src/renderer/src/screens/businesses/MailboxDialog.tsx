import { useEffect, useRef, useState, type JSX } from 'react'
import { contract } from '../../../../shared/contract'
import type { BizObject, Mailbox } from '../../../../shared/models'
import { PROBLEM_TITLE, type ServerErrorCode } from '../../../../shared/serverErrors'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { sentence } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import { DraftError, draftProblems, mailboxDraft, serversChanged, toMailboxPatch, toMailboxTest, toNewMailbox, type MailboxDraft } from './mailboxDraft'
import { MailboxFields } from './MailboxFields'
import { fieldOfProblem, focusByLabel, SetupCheckPanel, useTestedSave, type CheckRow } from './SetupCheck'

/** Which password field "Fix sign-in" opens on. */
export type MailboxFocus = 'smtp.password' | 'imap.password'
const FOCUS_LABEL: Record<MailboxFocus, string> = { 'smtp.password': 'SMTP password', 'imap.password': 'IMAP password' }

/** The set-up test of a mailbox draft, as rows for the panel (SMTP, then IMAP when it is on). */
export async function testMailbox(draft: MailboxDraft, mailboxId?: number): Promise<CheckRow[]> {
  const r = await rpc('mailboxes.test', toMailboxTest(draft, mailboxId))
  const rows: CheckRow[] = []
  if (r.smtp) rows.push({ label: 'Outgoing mail (SMTP)', check: r.smtp, field: fieldOfProblem(r.smtp.code, 'smtp') })
  if (r.imap) rows.push({ label: 'Incoming mail (IMAP)', check: r.imap, field: fieldOfProblem(r.imap.code, 'imap') })
  return rows
}

/** Add or edit a mailbox; saved passwords stay saved unless a new one is typed. The settings are tried before they are saved. */
export function MailboxDialog({ object, mailbox, focus, onClose }: { object: BizObject; mailbox: Mailbox | null; focus?: MailboxFocus; onClose: () => void }): JSX.Element {
  const [draft, setDraft] = useState(() => mailboxDraft(mailbox ?? undefined))
  const { busy, setBusy, errors, check, edited, start, passes } = useTestedSave()
  const body = useRef<HTMLDivElement>(null)

  // "Fix sign-in" opens on the password (after the dialog has put focus on its first control).
  useEffect(() => {
    if (focus) focusByLabel(body.current, FOCUS_LABEL[focus])
  }, [focus])

  const change = edited<MailboxDraft>(setDraft)

  const save = async (anyway = false) => {
    start()
    try {
      // Checked first, every field at once: a server is tried only with settings that could be saved.
      const problems = mailbox
        ? draftProblems(draft, () => toMailboxPatch(draft, mailbox.id), contract['mailboxes.update'].input)
        : draftProblems(draft, () => toNewMailbox(draft, object.id), contract['mailboxes.create'].input)
      if (Object.keys(problems).length) {
        errors.setAll(problems)
        setBusy(false)
        return
      }
      const patch = mailbox ? toMailboxPatch(draft, mailbox.id) : null
      const input = patch ? null : toNewMailbox(draft, object.id)
      // Only new connection settings are tried (a mailbox stopped by its settings is tried whatever changed).
      const worthTesting = !mailbox || mailbox.status === 'auth_error' || serversChanged(draft, mailbox)
      if (!anyway && worthTesting && !(await passes(() => testMailbox(draft, mailbox?.id)))) return
      if (patch) await rpc('mailboxes.update', patch)
      else if (input) await rpc('mailboxes.create', input)
      toastOk(mailbox ? 'Mailbox saved' : 'Mailbox added')
      onClose()
    } catch (err) {
      if (err instanceof DraftError) errors.set(err.field, err.message)
      else errors.take(err)
      setBusy(false)
    }
  }

  const label = mailbox ? 'Save mailbox' : 'Add mailbox'
  return (
    <Dialog
      title={mailbox ? 'Edit mailbox' : 'Add mailbox'}
      description={`A mailbox ${object.name} sends from. Switchboard signs in to test it before saving.`}
      size="lg"
      onClose={onClose}
      onSubmit={() => void save()}
      footer={
        <DialogActions onCancel={onClose} label={check.failed ? 'Test again' : label} busyLabel={check.state.phase === 'checking' ? 'Testing…' : 'Saving…'} busy={busy}>
          {check.failed && (
            <button type="button" className="btn" disabled={busy} onClick={() => void save(true)}>
              Save anyway
            </button>
          )}
        </DialogActions>
      }
    >
      <div ref={body}>
        {mailbox?.status === 'auth_error' && (
          <div className="form-error">
            <strong>{PROBLEM_TITLE[(mailbox.statusCode ?? 'AUTH') as ServerErrorCode] ?? 'Sign-in failed'}.</strong> {sentence(mailbox.statusReason ?? 'The server refused the login')} Held messages resume once the fixed settings are saved.
          </div>
        )}
        <MailboxFields draft={draft} onChange={change} errors={errors.fields} />
        <SetupCheckPanel state={check.state} />
        <FormError message={errors.form} />
      </div>
    </Dialog>
  )
}
