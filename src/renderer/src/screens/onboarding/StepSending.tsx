// Step 2: how the business sends email, through a Mailgun domain or an ordinary SMTP mailbox.
import { useId, useState, type FormEvent, type JSX } from 'react'
import type { BizObject, Mailbox } from '../../../../shared/models'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { useFormErrors } from '../../lib/errors'
import { rpc } from '../../rpc'
import { MailboxFields } from '../businesses/MailboxFields'
import { DraftError, mailboxDraft, toMailboxPatch, toNewMailbox } from '../businesses/mailboxDraft'
import { MailgunFields, type MailgunDraft } from '../businesses/MailgunFields'

export type SendingChoice = 'mailgun' | 'smtp'

interface Props {
  object: BizObject
  initial: SendingChoice | null
  mailbox: Mailbox | null
  onBack: () => void
  onSkip: () => void
  /** The object comes back with its Mailgun settings when those were saved. */
  onSaved: (choice: SendingChoice, mailbox: Mailbox | null, object: BizObject) => void
}

export function StepSending({ object, initial, mailbox, onBack, onSkip, onSaved }: Props): JSX.Element {
  const [choice, setChoice] = useState<SendingChoice>(initial ?? 'smtp')
  const [mailgun, setMailgun] = useState<MailgunDraft>({ sendingDomain: object.mailgun?.sendingDomain ?? '', region: object.mailgun?.region ?? 'us', apiKey: '' })
  const [draft, setDraft] = useState(() => mailboxDraft(mailbox ?? undefined))
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    errors.clear()
    try {
      if (choice === 'mailgun') {
        const settings = await rpc('mailgun.upsert', { objectId: object.id, sendingDomain: mailgun.sendingDomain, region: mailgun.region, ...(mailgun.apiKey ? { apiKey: mailgun.apiKey } : {}) })
        onSaved('mailgun', mailbox, { ...object, mailgun: settings })
      } else {
        const saved = mailbox ? await rpc('mailboxes.update', toMailboxPatch(draft, mailbox.id)) : await rpc('mailboxes.create', toNewMailbox(draft, object.id))
        onSaved('smtp', saved, object)
      }
    } catch (err) {
      if (err instanceof DraftError) errors.set(err.field, err.message)
      else errors.take(err)
      setBusy(false)
    }
  }

  return (
    <form className="onboarding-step" onSubmit={save} noValidate>
      <h2>How does this business send email?</h2>
      <p className="step-help">Switchboard sends from your own accounts. Pick one now; you can add more in Businesses.</p>
      <div className="choice-cards" role="radiogroup" aria-label="Sending method">
        <ChoiceCard checked={choice === 'smtp'} onSelect={() => setChoice('smtp')} icon="server" title="SMTP mailbox" text="Gmail, Outlook, or any mailbox with SMTP. Best for one-to-one email." />
        <ChoiceCard checked={choice === 'mailgun'} onSelect={() => setChoice('mailgun')} icon="send" title="Mailgun domain" text="A Mailgun sending domain. Best for newsletters and larger lists." />
      </div>
      {choice === 'mailgun' ? (
        <MailgunFields draft={mailgun} onChange={setMailgun} errors={errors.fields} hasApiKey={Boolean(object.mailgun?.hasApiKey)} />
      ) : (
        <MailboxFields draft={draft} onChange={setDraft} errors={errors.fields} />
      )}
      <FormError message={errors.form} />
      <div className="step-actions">
        <button type="button" className="btn btn-ghost" onClick={onBack}>
          Back
        </button>
        <span className="spacer" />
        <button type="button" className="btn btn-ghost" onClick={onSkip}>
          Skip for now
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Continue'}
        </button>
      </div>
    </form>
  )
}

function ChoiceCard({ checked, onSelect, icon, title, text }: { checked: boolean; onSelect: () => void; icon: 'server' | 'send'; title: string; text: string }): JSX.Element {
  const id = useId()
  return (
    <label className={`choice-card${checked ? ' is-checked' : ''}`}>
      {/* Named by its title alone; the description is read as a description. */}
      <input type="radio" name="sending" checked={checked} onChange={onSelect} className="visually-hidden" aria-label={title} aria-describedby={`${id}-text`} />
      <span className="choice-icon">
        <Icon name={icon} size={18} />
      </span>
      <span className="choice-title">{title}</span>
      <span className="choice-text" id={`${id}-text`}>
        {text}
      </span>
    </label>
  )
}
