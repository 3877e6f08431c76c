// The inline reply under a conversation: reply, reply-all or forward of one message. It goes through the
// outbox (messages.reply, from the thread's business profile) and shows the same undo toast as Compose.
import { useEffect, useState, type JSX } from 'react'
import type { MessageDetail } from '../../../../shared/inbox'
import { isEmail } from '../../../../shared/validators'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { RichEditor } from '../../components/RichEditor'
import { useFormErrors } from '../../lib/errors'
import { addressLabel, replyRecipients, replySubject } from '../../lib/inbox'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { announceQueued } from '../compose/composeState'
import { RecipientField } from '../compose/RecipientField'
import type { ReplyMode } from './MessageView'

const TITLE: Record<ReplyMode, string> = { reply: 'Reply', replyAll: 'Reply all', forward: 'Forward' }
const ICON = { reply: 'reply', replyAll: 'replyAll', forward: 'forward' } as const

interface Props {
  message: MessageDetail
  mode: ReplyMode
  ownEmails: string[]
  onClose: () => void
}

export function ReplyComposer({ message, mode, ownEmails, onClose }: Props): JSX.Element {
  const initial = replyRecipients(message, mode, ownEmails)
  const [to, setTo] = useState(initial.to)
  const [cc, setCc] = useState(initial.cc)
  const [body, setBody] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()

  useEffect(() => {
    // Straight to typing: the body for a reply, the To field for a forward (it has no recipient yet).
    const frame = requestAnimationFrame(() => document.querySelector<HTMLElement>(mode === 'forward' ? '.reply-box .recipients-input' : '#reply-body')?.focus())
    return () => cancelAnimationFrame(frame)
  }, [mode])

  const send = async () => {
    errors.clear()
    if (to.length === 0) return errors.set('to', 'Add at least one recipient')
    if ([...to, ...cc].some((a) => !isEmail(a))) return errors.set('to', 'Fix the address marked in red')
    setBusy(true)
    try {
      // The engine adds the quoted original (or the forwarded message) under what was typed here.
      const html = body
      const out = await rpc('messages.reply', { messageId: message.id, mode, to, ...(cc.length ? { cc } : {}), html })
      announceQueued(out)
      void useApp.getState().loadOutboxCounts()
      onClose()
    } catch (err) {
      errors.take(err, (f) => f === 'to' || f.startsWith('to.') || f === 'cc' || f.startsWith('cc.'))
      setBusy(false)
    }
  }

  const fieldError = (name: string) => Object.entries(errors.fields).find(([k]) => k === name || k.startsWith(`${name}.`))?.[1]
  return (
    <section
      className="reply-box"
      aria-label={TITLE[mode]}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) (e.preventDefault(), void send())
        if (e.key === 'Escape' && !busy) (e.preventDefault(), onClose())
      }}
    >
      <header className="reply-head">
        <Icon name={ICON[mode]} size={15} />
        <span className="reply-title">{TITLE[mode]}</span>
        <span className="reply-subject">{replySubject(message.subject, mode)}</span>
        <button type="button" className="icon-button" aria-label="Discard reply" title="Discard (Esc)" disabled={busy} onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      <div className="reply-fields">
        <RecipientField label="To" value={to} onChange={setTo} error={fieldError('to')} disabled={busy} />
        {(mode === 'replyAll' || cc.length > 0) && <RecipientField label="Cc" value={cc} onChange={setCc} error={fieldError('cc')} disabled={busy} />}
      </div>
      <RichEditor
        id="reply-body"
        label="Reply text"
        variant="flush"
        className="reply-editor"
        value={body}
        disabled={busy}
        autoFocus={mode !== 'forward'}
        placeholder={mode === 'forward' ? 'Add a note (optional)…' : 'Write your reply…'}
        onChange={setBody}
      />
      <p className="reply-quote-note">
        <Icon name={mode === 'forward' ? 'forward' : 'reply'} size={12} />
        {mode === 'forward' ? 'The original message is included below your note.' : `Quotes ${addressLabel(message.from)}’s message below your reply.`}
      </p>
      <FormError message={errors.form ?? fieldError('html') ?? null} />
      <footer className="reply-foot">
        <span className="reply-hint">Ctrl+Enter to send</span>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={onClose}>
          Discard
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()}>
          <Icon name="send" /> {busy ? 'Sending…' : 'Send'}
        </button>
      </footer>
    </section>
  )
}
