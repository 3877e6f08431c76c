// Step 2: how the business sends email, through a Mailgun domain or an ordinary SMTP mailbox. The settings
// are tried before they are saved; a failed test is saved only on an explicit "Save anyway".

import { useId, useState, type JSX } from 'react'
import type { BizObject, Mailbox } from '../../../../shared/models'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { rpc } from '../../rpc'
import { testMailbox } from '../businesses/MailboxDialog'
import { MailboxFields } from '../businesses/MailboxFields'
import { DraftError, mailboxDraft, serversChanged, toMailboxPatch, toNewMailbox, type MailboxDraft } from '../businesses/mailboxDraft'
import { MailgunFields, testMailgunDraft, type MailgunDraft } from '../businesses/MailgunFields'
import { SetupCheckActions, SetupCheckPanel, useTestedSave } from '../businesses/SetupCheck'
import { Form } from '../../components/Form'
import { StepActions } from './StepActions'

export type SendingChoice = 'mailgun' | 'smtp'

interface Props {
  object: BizObject
  initial: SendingChoice | null
  mailbox: Mailbox | null
  onBack: () => void
  /** The object comes back without Mailgun settings left over from a setup the user backed out of. */
  onSkip: (object: BizObject) => void
  /** The object comes back with its Mailgun settings when those were saved. */
  onSaved: (choice: SendingChoice, mailbox: Mailbox | null, object: BizObject) => void
}

export function StepSending({ object, initial, mailbox, onBack, onSkip, onSaved }: Props): JSX.Element {
  const [choice, setChoice] = useState<SendingChoice>(initial ?? 'smtp')
  const [mailgun, setMailgun] = useState<MailgunDraft>({ sendingDomain: object.mailgun?.sendingDomain ?? '', region: object.mailgun?.region ?? 'us', apiKey: '' })
  const [draft, setDraft] = useState(() => mailboxDraft(mailbox ?? undefined))
  const { busy, setBusy, errors, check, edited, start, passes } = useTestedSave()
  // Any change makes the last test stale: it said nothing about the new settings.
  const pick = (c: SendingChoice) => (setChoice(c), check.reset(), errors.clear())
  const changeMailgun = edited<MailgunDraft>(setMailgun)
  const changeDraft = edited<MailboxDraft>(setDraft)

  const save = async (anyway = false) => {
    start()
    try {
      if (choice === 'mailgun') {
        if (!anyway && !(await passes(() => testMailgunDraft(object.id, mailgun)))) return
        const settings = await rpc('mailgun.upsert', { objectId: object.id, sendingDomain: mailgun.sendingDomain, region: mailgun.region, ...(mailgun.apiKey ? { apiKey: mailgun.apiKey } : {}) })
        onSaved('mailgun', mailbox, { ...object, mailgun: settings })
      } else {
        // Built first, so a missing number or password is said at its field before anything is tried.
        const patch = mailbox ? toMailboxPatch(draft, mailbox.id) : null
        const input = patch ? null : toNewMailbox(draft, object.id)
        if (!anyway && (!mailbox || serversChanged(draft, mailbox)) && !(await passes(() => testMailbox(draft, mailbox?.id)))) return
        const saved = patch ? await rpc('mailboxes.update', patch) : await rpc('mailboxes.create', input!)
        // Mailgun chosen earlier in this wizard and then backed out of is not kept: the business sends through the mailbox.
        if (object.mailgun) await rpc('mailgun.remove', { objectId: object.id })
        onSaved('smtp', saved, { ...object, mailgun: null })
      }
    } catch (err) {
      if (err instanceof DraftError) errors.set(err.field, err.message)
      else errors.take(err)
      setBusy(false)
    }
  }

  // Skipping leaves nothing half-done: Mailgun settings saved earlier in this wizard, then backed out of
  // (Back from the profile step), are removed, as choosing a mailbox instead does. A mailbox that was
  // tested and saved stays, as the business's own.
  const skip = async () => {
    start()
    try {
      if (object.mailgun) await rpc('mailgun.remove', { objectId: object.id })
      onSkip({ ...object, mailgun: null })
    } catch (err) {
      errors.take(err)
      setBusy(false)
    }
  }

  return (
    <Form className="onboarding-step" onSubmit={save}>
      <h2>How does this business send email?</h2>
      <p className="step-help">Switchboard sends from your own accounts. Pick one now; you can add more in Businesses.</p>
      <div className="choice-cards" role="radiogroup" aria-label="Sending method">
        <ChoiceCard checked={choice === 'smtp'} onSelect={() => pick('smtp')} icon="server" title="SMTP mailbox" text="Gmail, Outlook, or any mailbox with SMTP. Best for one-to-one email." />
        <ChoiceCard checked={choice === 'mailgun'} onSelect={() => pick('mailgun')} icon="send" title="Mailgun domain" text="A Mailgun sending domain. Best for newsletters and larger lists." />
      </div>
      {choice === 'mailgun' ? (
        <MailgunFields draft={mailgun} onChange={changeMailgun} errors={errors.fields} hasApiKey={Boolean(object.mailgun?.hasApiKey)} />
      ) : (
        <MailboxFields draft={draft} onChange={changeDraft} errors={errors.fields} />
      )}
      <SetupCheckPanel state={check.state} />
      <FormError message={errors.form} />
      <StepActions onBack={onBack}>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void skip()}>
          Skip for now
        </button>
        <SetupCheckActions check={check} busy={busy} label="Continue" onSaveAnyway={() => void save(true)} />
      </StepActions>
    </Form>
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
