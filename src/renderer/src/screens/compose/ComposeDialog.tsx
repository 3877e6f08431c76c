// Compose: From, To, Cc, Bcc, Subject, a rich text body (HTML) with the sender's signature, and
// attachments (picker or drop). Everything is autosaved as a draft; Send hands the draft to the outbox,
// then the undo toast can bring it back here. A reply or forward draft opened here keeps what it answers.
import { useEffect, useState, type JSX, type KeyboardEvent } from 'react'
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
import { AttachButton, AttachmentTray, DropZone, fromOutgoing, refsOf, useAttachments } from './Attachments'
import { defaultProfile, FromField, useSenders, type Senders } from './FromField'
import { signatureOf, swapSignature, withoutSignature, withSignature } from './signature'
import { RecipientFields } from './RecipientFields'
import { SaveStatus } from './SaveStatus'
import { ScheduleMenu } from './ScheduleMenu'
import { useDraftAutosave } from './useDraftAutosave'
import { InsertTemplate } from '../templates/InsertTemplate'
import { ComposeLine } from './ComposeLine'

/** Mounted once in the shell; shows compose while a session is open. */
export function ComposeHost(): JSX.Element | null {
  const session = useCompose((s) => s.session)
  return session ? <ComposeLoader key={session.key} session={session} /> : null
}

function ComposeLoader({ session }: { session: ComposeSession }): JSX.Element {
  const senders = useSenders()
  const [draft, setDraft] = useState<Draft | null | undefined>(session.draft ?? (session.draftId ? undefined : null))
  useEffect(() => {
    if (draft !== undefined || !session.draftId) return
    rpc('drafts.get', { id: session.draftId }).then(setDraft, (err) => {
      toastError(err)
      closeCompose()
    })
  }, [draft, session.draftId])
  // The sender (and its signature) is part of the first render, so a signature is never "something typed".
  if (draft === undefined || senders.profiles === null)
    return (
      <Dialog title="Edit draft" size="xl" className="compose" onClose={closeCompose}>
        <div className="compose-loading" aria-busy="true">
          <span className="spinner" /> Opening draft…
        </div>
      </Dialog>
    )
  return <ComposeForm session={session} initial={draft} senders={senders} />
}

const FIELDS = ['profileId', 'to', 'cc', 'bcc', 'subject', 'html', 'sendAt', 'attachments']
const fieldOf = (path: string) => FIELDS.find((f) => path === f || path.startsWith(`${f}.`))

function ComposeForm({ session, initial, senders }: { session: ComposeSession; initial: Draft | null; senders: Senders }): JSX.Element {
  const sigOf = (id: number | null) => signatureOf(senders.profiles?.find((p) => p.id === id))
  const [profileId, setProfileId] = useState<number | null>(() => initial?.profileId ?? defaultProfile(senders, session.contact?.objectId ?? null))
  const [to, setTo] = useState<string[]>(initial?.to ?? (session.contact ? [session.contact.email] : []))
  const [cc, setCc] = useState<string[]>(initial?.cc ?? [])
  const [bcc, setBcc] = useState<string[]>(initial?.bcc ?? [])
  const [showCc, setShowCc] = useState(cc.length > 0)
  const [showBcc, setShowBcc] = useState(bcc.length > 0)
  const [subject, setSubject] = useState(initial?.subject ?? '')
  const [body, setBody] = useState(() => (initial ? initial.html : withSignature('', sigOf(profileId))))
  const [contactId, setContactId] = useState<number | null>(initial?.contactId ?? session.contact?.id ?? null)
  // The library template inserted last: the sent message counts under it in analytics.
  const [templateId, setTemplateId] = useState<number | null>(initial?.templateId ?? null)
  const [busy, setBusy] = useState(false)
  const att = useAttachments((initial?.attachments ?? []).map(fromOutgoing))
  const errors = useFormErrors()
  const attachments = refsOf(att.items)
  const fields = { profileId, contactId, to, cc, bcc, subject, html: body, attachments, templateId, ...(initial?.replyTo ? { replyTo: initial.replyTo } : {}) }
  const written = JSON.stringify({ to, cc, bcc, subject, body: withoutSignature(body, sigOf(profileId)), attachments })
  const autosave = useDraftAutosave(initial?.id ?? null, fields, !busy, { content: written })
  const fieldError = (name: string) => Object.entries(errors.fields).find(([k]) => fieldOf(k) === name)?.[1]

  // A new sender brings its signature and takes the old one away; what was typed stays as it is.
  const pickSender = (id: number) => {
    setBody((b) => swapSignature(b, sigOf(profileId), sigOf(id)))
    setProfileId(id)
  }

  // Decided once, at open: the editor loads lazily, and a later mount must not pull the cursor out of the
  // field the user has moved on to (typing a subject while it loads would land in the message).
  const [bodyAutoFocus] = useState<boolean | 'start'>(() => (to.length === 0 ? false : initial ? true : 'start'))
  // After the dialog opens (showModal runs after child effects): the first empty thing to fill in.
  useEffect(() => {
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>(to.length ? '#compose-body' : '.compose .recipients-input')?.focus())
    return () => cancelAnimationFrame(frame)
    // Once, on open.
  }, [])

  const close = async () => {
    if (busy) return
    try {
      const wrote = autosave.wrote || autosave.state !== 'idle'
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
    if ([...to, ...cc, ...bcc].some((a) => !isEmail(a))) return
    if (att.busy) return errors.set('attachments', 'Wait for the files to finish attaching')
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
          <AttachButton onFiles={att.add} disabled={busy} />
          <InsertTemplate
            profileId={profileId}
            objectId={senders.profiles?.find((p) => p.id === profileId)?.objectId ?? null}
            to={to}
            disabled={busy}
            onInsert={(t) => {
              if (!subject.trim()) setSubject(t.subject)
              setTemplateId(t.templateId)
              setBody((b) => withSignature(`${withoutSignature(b, sigOf(profileId)).replace(/^<p><\/p>$/, '')}${t.html}`, sigOf(profileId)))
            }}
          />
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
      <DropZone
        className="compose-fields"
        onFiles={att.add}
        disabled={busy}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
            e.preventDefault()
            void send()
          }
        }}
      >
        <FromField senders={senders} value={profileId} onChange={pickSender} error={fieldError('profileId')} disabled={busy} />
        <RecipientFields
          to={{ value: to, onChange: setTo }}
          cc={{ value: cc, onChange: setCc, shown: showCc, onShow: () => setShowCc(true) }}
          bcc={{ value: bcc, onChange: setBcc, shown: showBcc, onShow: () => setShowBcc(true) }}
          errorOf={fieldError}
          disabled={busy}
          onPickContact={(c) => contactId === null && to.length === 0 && setContactId(c.id)}
        />
        <ComposeLine id="compose-subject" label="Subject" error={fieldError('subject')}>
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
        </ComposeLine>
        <RichEditor
          id="compose-body"
          label="Message"
          variant="flush"
          className="compose-editor"
          value={body}
          disabled={busy}
          autoFocus={bodyAutoFocus}
          placeholder="Write your message…"
          invalid={fieldError('html') ? true : undefined}
          onChange={setBody}
        />
        {fieldError('html') && (
          <p className="field-error compose-body-error" role="alert">
            {fieldError('html')}
          </p>
        )}
        <AttachmentTray att={att} disabled={busy} />
        {fieldError('attachments') && (
          <p className="field-error compose-body-error" role="alert">
            {fieldError('attachments')}
          </p>
        )}
      </DropZone>
      <FormError message={errors.form ?? (fieldError('sendAt') ? `Schedule: ${fieldError('sendAt')}` : null)} />
    </Dialog>
  )
}
