// The end of the wizard: what was set up, and where to go next.
import type { JSX } from 'react'
import type { BizObject, Mailbox, Profile } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { navigate } from '../../lib/router'
import type { SendingChoice } from './StepSending'

interface Props {
  object: BizObject | null
  mailbox: Mailbox | null
  sending: SendingChoice | null
  profile: Profile | null
  onDone: () => void
}

export function StepDone({ object, mailbox, sending, profile, onDone }: Props): JSX.Element {
  const sendingText = sending === 'mailgun' ? `Mailgun (${object?.mailgun?.sendingDomain ?? 'domain saved'})` : sending === 'smtp' && mailbox ? `Mailbox ${mailbox.email}` : 'Not set up yet'
  return (
    <div className="onboarding-step">
      <div className="done-badge" aria-hidden="true">
        <Icon name="check" size={22} />
      </div>
      <h2 className="center">You’re all set</h2>
      <p className="step-help center">Next, bring in your customers: add them one by one or import a spreadsheet.</p>
      <dl className="summary-list">
        <dt>Business</dt>
        <dd>{object?.name}</dd>
        <dt>Sends with</dt>
        <dd>{sendingText}</dd>
        <dt>Sender profile</dt>
        <dd>{profile ? `${profile.displayName} <${profile.email}>` : 'Not set up yet'}</dd>
      </dl>
      <div className="step-actions">
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            onDone()
            navigate({ name: 'import' })
          }}
        >
          Import a CSV
        </button>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={onDone} autoFocus>
          Go to contacts
        </button>
      </div>
    </div>
  )
}
