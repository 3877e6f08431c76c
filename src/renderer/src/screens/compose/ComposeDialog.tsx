// Compose: From, To, Cc, Subject and a rich text body (HTML). Everything is autosaved as a
// draft; Send hands the draft to the outbox, then the undo toast can bring it back here.
import { useEffect, useState, type JSX } from 'react'
import type { Draft } from '../../../../shared/outbound'
import { isEmail } from '../../../../shared/validators'
import { Dialog } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { RichEditor } from '../../components/RichEditor'
import { useFormErrors } from '../../lib/errors'
import { rpc } from '../../rpc'
import { toastError, toastOk, useApp } from '../../store'
import { announceQueued, closeCompose, useCompose, type ComposeSession } from './composeState'
import { defaultProfile, FromField, useSenders } from './FromField'
import { RecipientField } from './RecipientField'
import { SaveStatus } from './SaveStatus'
import { ScheduleMenu } from './ScheduleMenu'
import { useDraftAutosave } from './useDraftAutosave'

/** Mounted once in the shell; shows compose while a session is open. */
export function ComposeHost(): JSX.Element | null {
  const session = useCompose((s) => s.session)
  return session ? <ComposeLoader key={session.key} session={session} /> : null
}

function ComposeLoader({ session }: { session: ComposeSession }): JSX.Element {
  const [draft, setDraft] = useState<Draft | null | undefined>(session.draft ?? (session.draftId ? undefined : null))
  useEffect(() => {
    if (draft !== undefined || !session.draftId) return
    rpc('drafts.get', { id: session.draftId }).then(setDraft, (err) => {
      toastError(err)
      closeCompose()
    })
  }, [draft, session.draftId])
  if (draft === undefined)
    return (
      <Dialog title="Edit draft" size="xl" className="compose" onClose={closeCompose}>
        <div className="compose-loading" aria-busy="true">
          <span className="spinner" /> Opening draft…
        </div>
      </Dialog>
    )
  return <ComposeForm session={session} initial={draft} />
}

const FIELDS = ['profileId', 'to', 'cc', 'subject', 'html', 'sendAt']
const fieldOf = (path: string) => FIELDS.find((f) => path === f || path.startsWith(`${f}.`))

function ComposeForm({ session, initial }: { session: ComposeSession; initial: Draft | null }): JSX.Element {
  const senders = useSenders()
  const [profileId, setProfileId] = useState<number | null>(initial?.profileId ?? null)
  const [to, setTo] = useState<string[]>(initial?.to ?? (session.contact ? [session.contact.email] : []))
  const [cc, setCc] = useState<string[]>(initial?.cc ?? [])
  const [showCc, setShowCc] = useState(cc.length > 0)
  const [subject, setSubject] = useState(initial?.subject ?? '')
  const [body, setBody] = useState(initial?.html ?? '')
  const [contactId, setContactId] = useState<number | null>(initial?.contactId ?? session.contact?.id ?? null)
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()
  const autosave = useDraftAutosave(initial?.id ?? null, { profileId, contactId, to, cc, subject, html: body }, !busy)
  const fieldError = (name: string) => Object.entries(errors.fields).find(([k]) => fieldOf(k) === name)?.[1]

  // Start from the sender's default (or the contact's business) once the profiles are known.
  useEffect(() => {
    if (!senders.profiles || (profileId !== null && senders.profiles.some((p) => p.id === profileId))) return
    const preferred = defaultProfile(senders, session.contact?.objectId ?? null)
    if (preferred !== null) setProfileId(preferred)
    // Only when the allowed profiles change, not on every pick.
  }, [senders.profiles])

  // After the dialog opens (showModal runs after child effects): the first empty thing to fill in.
  useEffect(() => {
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>(to.length ? '#compose-body' : '.compose .recipients-input')?.focus())
    return () => cancelAnimationFrame(frame)
    // Once, on open.
  }, [])

  const close = async () => {
    if (busy) return
    try {
      const wrote = autosave.draftId !== null || autosave.state === 'pending'
      if (wrote) await autosave.flush()
      if (wrote) toastOk('Draft saved')
    } catch {
      // Kept locally (or the error is already on screen): closing must still work.
    }
    closeCompose()
  }

  const send = async (sendAt?: string) => {
    errors.clear()
    if (profileId === null) return errors.set('profileId', 'Choose who this message is from')
    if (to.length === 0) return errors.set('to', 'Add at least one recipient')
    // Invalid chips are already flagged in red beside their field.
    if ([...to, ...cc].some((a) => !isEmail(a))) return
    setBusy(true)
    try {
      const draftId = await autosave.flush()
      const message = await rpc('drafts.send', { draftId, ...(sendAt ? { sendAt } : {}) })
      autosave.cancel()
      closeCompose()
      announceQueued(message)
      void useApp.getState().loadOutboxCounts()
    } catch (err) {
      errors.take(err, (f) => fieldOf(f) !== undefined && fieldOf(f) !== 'sendAt')
      setBusy(false)
    }
  }

  const discard = async () => {
    autosave.cancel()
    setBusy(true)
    try {
      if (autosave.draftId !== null) await rpc('drafts.delete', { id: autosave.draftId })
      closeCompose()
      toastOk('Draft discarded')
    } catch (err) {
      errors.take(err)
      setBusy(false)
    }
  }

  return (
    <Dialog
      title={initial ? 'Edit draft' : 'New message'}
      size="xl"
      className="compose"
      onClose={() => void close()}
      footer={
        <>
          <SaveStatus state={autosave.state} error={autosave.error} />
          <button type="button" className="icon-button" aria-label="Discard draft" title="Discard draft" disabled={busy} onClick={() => void discard()}>
            <Icon name="trash" />
          </button>
          <ScheduleMenu disabled={busy} error={fieldError('sendAt')} onSchedule={(at) => void send(at)} />
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()}>
            <Icon name="send" /> {busy ? 'Sending…' : 'Send'}
          </button>
        </>
      }
    >
      <div
        className="compose-fields"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault()
            void send()
          }
        }}
      >
        <FromField senders={senders} value={profileId} onChange={setProfileId} error={fieldError('profileId')} disabled={busy} />
        <RecipientField
          label="To"
          value={to}
          onChange={setTo}
          error={fieldError('to')}
          disabled={busy}
          onPickContact={(c) => contactId === null && to.length === 0 && setContactId(c.id)}
          trailing={
            showCc ? null : (
              <button type="button" className="btn btn-ghost btn-sm compose-cc-toggle" onClick={() => setShowCc(true)}>
                Cc
              </button>
            )
          }
        />
        {showCc && <RecipientField label="Cc" value={cc} onChange={setCc} error={fieldError('cc')} disabled={busy} />}
        <div className={`compose-line${fieldError('subject') ? ' has-error' : ''}`}>
          <label htmlFor="compose-subject" className="compose-label">
            Subject
          </label>
          <div className="compose-control">
            <input
              id="compose-subject"
              className="compose-input"
              value={subject}
              disabled={busy}
              autoComplete="off"
              aria-invalid={fieldError('subject') ? true : undefined}
              aria-describedby={fieldError('subject') ? 'compose-subject-err' : undefined}
              onChange={(e) => setSubject(e.target.value)}
            />
            {fieldError('subject') && (
              <p className="field-error" id="compose-subject-err" role="alert">
                {fieldError('subject')}
              </p>
            )}
          </div>
        </div>
        <RichEditor
          id="compose-body"
          label="Message"
          variant="flush"
          className="compose-editor"
          value={body}
          disabled={busy}
          autoFocus={to.length > 0}
          placeholder="Write your message…"
          invalid={fieldError('html') ? true : undefined}
          onChange={setBody}
        />
        {fieldError('html') && (
          <p className="field-error compose-body-error" role="alert">
            {fieldError('html')}
          </p>
        )}
      </div>
      <FormError message={errors.form ?? (fieldError('sendAt') ? `Schedule: ${fieldError('sendAt')}` : null)} />
    </Dialog>
  )
}
