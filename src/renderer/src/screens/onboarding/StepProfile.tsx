// Step 3: the sender profile, i.e. the "From" people see, sending through what step 2 set up.
import { useState, type JSX } from 'react'
import type { BizObject, Mailbox, Profile } from '../../../../shared/models'
import { FormError, SelectField, TextField } from '../../components/Field'
import { useFormAction } from '../../lib/useAction'
import { rpc } from '../../rpc'
import type { SendingChoice } from './StepSending'
import { Form } from '../../components/Form'
import { StepActions } from './StepActions'
import { profileInput } from '../businesses/profileDraft'

interface Props {
  object: BizObject
  mailbox: Mailbox | null
  sending: SendingChoice
  profile: Profile | null
  onBack: () => void
  onSkip: () => void
  onSaved: (p: Profile) => void
}

export function StepProfile({ object, mailbox, sending, profile, onBack, onSkip, onSaved }: Props): JSX.Element {
  const [email, setEmail] = useState(profile?.email ?? (sending === 'smtp' ? (mailbox?.email ?? '') : ''))
  const [displayName, setDisplayName] = useState(profile?.displayName ?? (mailbox?.displayName || object.name))
  const [replyTo, setReplyTo] = useState(profile?.replyTo ?? '')
  const [transport, setTransport] = useState(sending === 'smtp' && mailbox ? `smtp:${mailbox.id}` : 'mailgun')
  const { busy, errors, run } = useFormAction((f) => ['email', 'displayName', 'replyTo'].includes(f))

  const options = [
    ...(sending === 'mailgun' ? [{ value: 'mailgun', label: `Mailgun (${object.mailgun?.sendingDomain ?? 'your domain'})` }] : []),
    ...(mailbox ? [{ value: `smtp:${mailbox.id}`, label: `Mailbox ${mailbox.email}` }] : []),
  ]

  const save = () =>
    run(async () => {
      const input = profileInput({ email, displayName, replyTo, transport })
      onSaved(profile ? await rpc('profiles.update', { id: profile.id, ...input }) : await rpc('profiles.create', { objectId: object.id, ...input }))
    })

  return (
    <Form className="onboarding-step" onSubmit={save}>
      <h2>Who are emails from?</h2>
      <p className="step-help">A sender profile is the name and address your customers see in their inbox.</p>
      <div className="form-grid">
        <TextField label="From email" type="email" value={email} onChange={setEmail} error={errors.fields.email} placeholder="hello@yourbusiness.com" />
        <TextField label="From name" value={displayName} onChange={setDisplayName} error={errors.fields.displayName} placeholder={object.name} />
        <TextField label="Reply-to address" type="email" value={replyTo} onChange={setReplyTo} error={errors.fields.replyTo} optional hint="Where replies go, if not the From address" />
        <SelectField label="Send through" value={transport} onChange={setTransport} options={options} error={errors.fields['transport.kind'] ?? errors.fields['transport.mailboxId']} />
      </div>
      <FormError message={errors.form} />
      <StepActions onBack={onBack}>
        <button type="button" className="btn btn-ghost" onClick={onSkip}>
          Skip for now
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Finish setup'}
        </button>
      </StepActions>
    </Form>
  )
}
