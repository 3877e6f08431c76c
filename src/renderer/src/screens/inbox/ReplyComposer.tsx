// The inline reply under a conversation: reply, reply-all or forward of one message. Like compose it is a
// draft from the first word (autosaved, journalled against a closing window, brought back when the
// conversation is opened again), and it remembers what it answers, so sending it (drafts.send → the reply
// path) quotes and threads it. Esc or a click elsewhere keeps it; only Discard drops it, after asking.
import { useEffect, useState, type JSX, type KeyboardEvent } from 'react'
import type { MessageDetail } from '../../../../shared/inbox'
import type { Draft } from '../../../../shared/outbound'
import { isEmail } from '../../../../shared/validators'
import { useConfirm } from '../../components/ConfirmDialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { RichEditor } from '../../components/RichEditor'
import { useFormErrors } from '../../lib/errors'
import { addressLabel, replyRecipients, replySubject } from '../../lib/inbox'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { AttachButton, AttachmentTray, DropZone, fromOriginal, fromOutgoing, refsOf, useAttachments } from '../compose/Attachments'
import { announceQueued } from '../compose/composeState'
import { useSenders, type Senders } from '../compose/FromField'
import { RecipientFields } from '../compose/RecipientFields'
import { SaveStatus } from '../compose/SaveStatus'
import { signatureOf, withoutSignature, withSignature } from '../compose/signature'
import { replyJournalKey, useDraftAutosave } from '../compose/useDraftAutosave'
import type { ReplyMode } from './MessageView'

const TITLE: Record<ReplyMode, string> = { reply: 'Reply', replyAll: 'Reply all', forward: 'Forward' }
const ICON = { reply: 'reply', replyAll: 'replyAll', forward: 'forward' } as const

interface Props {
  message: MessageDetail
  mode: ReplyMode
  ownEmails: string[]
  /** The reply draft being continued (reopened conversation), if any. */
  draft?: Draft | null
  onClose: () => void
}

/** The profile a reply goes out from, as the engine picks it: the one sending through the mailbox the mail
 * arrived in, else an active one of the business. */
export function replyProfile(senders: Senders, message: Pick<MessageDetail, 'objectId' | 'mailboxId'>) {
  const mine = (senders.profiles ?? []).filter((p) => p.objectId === message.objectId && p.isActive)
  return mine.find((p) => p.transport.kind === 'smtp' && p.transport.mailboxId === message.mailboxId) ?? mine[0] ?? null
}

export function ReplyComposer(props: Props): JSX.Element {
  const senders = useSenders()
  // The signature is part of the first render, so it never counts as something typed.
  if (senders.profiles === null)
    return (
      <section className="reply-box is-loading" aria-label={TITLE[props.mode]} aria-busy="true">
        <div className="reply-loading">
          <span className="spinner" /> Opening the reply…
        </div>
      </section>
    )
  return <ReplyForm {...props} senders={senders} />
}

function ReplyForm({ message, mode, ownEmails, draft, onClose, senders }: Props & { senders: Senders }): JSX.Element {
  const profile = (draft?.profileId ? senders.profiles?.find((p) => p.id === draft.profileId) : null) ?? replyProfile(senders, message)
  const sig = signatureOf(profile)
  const initial = replyRecipients(message, mode, ownEmails)
  const [to, setTo] = useState(draft?.to ?? initial.to)
  const [cc, setCc] = useState(draft?.cc ?? initial.cc)
  const [bcc, setBcc] = useState(draft?.bcc ?? [])
  const [showBcc, setShowBcc] = useState(bcc.length > 0)
  const [body, setBody] = useState(() => (draft ? draft.html : withSignature('', sig)))
  const att = useAttachments(draft ? draft.attachments.map(fromOutgoing) : mode === 'forward' ? message.attachments.filter((a) => !a.inline || !a.contentId).map(fromOriginal) : [])
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()

  const attachments = refsOf(att.items)
  const fields = {
    profileId: profile?.id ?? null,
    contactId: null,
    to,
    cc,
    bcc,
    subject: replySubject(message.subject, mode),
    html: body,
    attachments,
    replyTo: { messageId: message.id, mode },
  }
  const written = JSON.stringify({ to, cc, bcc, body: withoutSignature(body, sig), attachments })
  const autosave = useDraftAutosave(draft?.id ?? null, fields, !busy, { journalKey: replyJournalKey(message.id), content: written })
  // Anything written, saved or on its way (a first save still in flight has no id yet).
  const touched = autosave.wrote || autosave.state !== 'idle'

  useEffect(() => {
    // Straight to typing: the body for a reply, the To field for a forward (it has no recipient yet).
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>(mode === 'forward' && to.length === 0 ? '.reply-box .recipients-input' : '#reply-body')?.focus())
    return () => cancelAnimationFrame(frame)
  }, [mode])

  /** Esc and the close button: what was written stays a draft, under this conversation and in Drafts. */
  const keep = async () => {
    if (busy) return
    if (touched) {
      try {
        await autosave.flush()
        toastOk('Reply saved as a draft')
      } catch {
        // Kept in the journal (or the error is on screen): closing still works, nothing is lost.
      }
    } else autosave.cancel()
    onClose()
  }

  const discard = async () => {
    autosave.cancel()
    setBusy(true)
    try {
      if (autosave.draftId !== null) await rpc('drafts.delete', { id: autosave.draftId })
      toastOk('Reply discarded')
      onClose()
    } catch (err) {
      errors.take(err)
      setBusy(false)
    }
  }
  // The dialog closes first; the composer then shows the deletion's progress or its error.
  const discarding = useConfirm(() => ({
    title: 'Discard this reply?',
    message: 'What you wrote will be deleted. This cannot be undone.',
    confirmLabel: 'Discard reply',
    onConfirm: async () => {
      discarding.close()
      await discard()
    },
  }))

  const send = async () => {
    errors.clear()
    if (to.length === 0) return errors.set('to', 'Add at least one recipient')
    if ([...to, ...cc, ...bcc].some((a) => !isEmail(a))) return errors.set('to', 'Fix the address marked in red')
    if (att.busy) return errors.set('attachments', 'Wait for the files to finish attaching')
    setBusy(true)
    try {
      // The draft goes out through the reply path: the engine adds the quote (or the forwarded message).
      const draftId = await autosave.flush()
      const out = await rpc('drafts.send', { draftId })
      autosave.cancel()
      announceQueued(out)
      void useApp.getState().loadOutboxCounts()
      onClose()
    } catch (err) {
      errors.take(err, (f) => ['to', 'cc', 'bcc', 'attachments'].some((k) => f === k || f.startsWith(`${k}.`)))
      setBusy(false)
    }
  }

  const fieldError = (name: string) => Object.entries(errors.fields).find(([k]) => k === name || k.startsWith(`${name}.`))?.[1]
  return (
    <DropZone
      className="reply-box"
      role="region"
      aria-label={TITLE[mode]}
      onFiles={att.add}
      disabled={busy}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) (e.preventDefault(), void send())
        if (e.key === 'Escape' && !busy && !discarding.isOpen) (e.preventDefault(), void keep())
      }}
    >
      <header className="reply-head">
        <Icon name={ICON[mode]} size={15} />
        <span className="reply-title">{TITLE[mode]}</span>
        <span className="reply-subject">{replySubject(message.subject, mode)}</span>
        <SaveStatus state={autosave.state} error={autosave.error} />
        <button type="button" className="icon-button" aria-label="Close and keep the draft" title="Close, keeping the draft (Esc)" disabled={busy} onClick={() => void keep()}>
          <Icon name="x" />
        </button>
      </header>
      <div className="reply-fields">
        <RecipientFields
          to={{ value: to, onChange: setTo }}
          cc={{ value: cc, onChange: setCc, shown: mode === 'replyAll' || cc.length > 0 }}
          bcc={{ value: bcc, onChange: setBcc, shown: showBcc, onShow: () => setShowBcc(true) }}
          errorOf={fieldError}
          disabled={busy}
        />
      </div>
      <RichEditor
        id="reply-body"
        label="Reply text"
        variant="flush"
        className="reply-editor"
        value={body}
        disabled={busy}
        autoFocus={mode === 'forward' ? false : draft ? true : 'start'}
        placeholder={mode === 'forward' ? 'Add a note (optional)…' : 'Write your reply…'}
        onChange={setBody}
      />
      <AttachmentTray att={att} disabled={busy} />
      <p className="reply-quote-note">
        <Icon name={mode === 'forward' ? 'forward' : 'reply'} size={12} />
        {mode === 'forward' ? 'The original message is included below your note.' : `Quotes ${addressLabel(message.from)}’s message below your reply.`}
      </p>
      <FormError message={errors.form ?? fieldError('html') ?? fieldError('attachments') ?? null} />
      <footer className="reply-foot">
        <AttachButton onFiles={att.add} disabled={busy} />
        <span className="reply-hint">Ctrl+Enter to send · Esc keeps a draft</span>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => (touched ? discarding.ask() : void discard())}>
          Discard
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()}>
          <Icon name="send" /> {busy ? 'Sending…' : 'Send'}
        </button>
      </footer>
      {discarding.dialog}
    </DropZone>
  )
}
