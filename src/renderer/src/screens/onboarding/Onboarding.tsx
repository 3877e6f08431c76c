// First run: a three-step wizard (business → how it sends email → sender profile), or sample data.
// Each step saves as it goes, so quitting halfway leaves a usable workspace.
import { useState, type JSX } from 'react'
import type { BizObject, Mailbox, Profile } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { StepBusiness } from './StepBusiness'
import { StepDone } from './StepDone'
import { StepProfile } from './StepProfile'
import { StepSending, type SendingChoice } from './StepSending'

type Step = 'business' | 'sending' | 'profile' | 'done'
const STEPS: Array<{ key: Step; label: string }> = [
  { key: 'business', label: 'Your business' },
  { key: 'sending', label: 'Sending email' },
  { key: 'profile', label: 'Sender profile' },
]

export function Onboarding({ onDone }: { onDone: () => void }): JSX.Element {
  const [step, setStep] = useState<Step>('business')
  const [object, setObject] = useState<BizObject | null>(null)
  const [sending, setSending] = useState<SendingChoice | null>(null)
  const [mailbox, setMailbox] = useState<Mailbox | null>(null)
  const [profile, setProfile] = useState<Profile | null>(null)
  const index = STEPS.findIndex((s) => s.key === step)

  return (
    <div className="onboarding">
      <div className="onboarding-card">
        <div className="onboarding-brand">
          <span className="brand-mark brand-mark-lg" aria-hidden="true">
            <Icon name="send" size={20} />
          </span>
        </div>
        <h1>Welcome to Switchboard</h1>
        <p className="lead">Your customers, your businesses and your email, in one calm place. Let’s set up your first business.</p>
        {/* team workspace (issue 22): a new desktop of a team joins instead of setting up */}
        <p className="onboarding-join">
          Joining your team? <a href="#/team">Join a team workspace</a>
        </p>
        {step !== 'done' && (
          <ol className="stepper" aria-label="Setup steps">
            {STEPS.map((s, i) => (
              <li key={s.key} className={i < index ? 'is-done' : i === index ? 'is-current' : undefined} aria-current={i === index ? 'step' : undefined}>
                <span className="stepper-num">{i < index ? <Icon name="check" size={12} /> : i + 1}</span>
                {s.label}
              </li>
            ))}
          </ol>
        )}
        {step === 'business' && (
          <StepBusiness
            object={object}
            onSaved={(o) => {
              setObject(o)
              setStep('sending')
            }}
            onDemo={onDone}
          />
        )}
        {step === 'sending' && object && (
          <StepSending
            object={object}
            initial={sending}
            mailbox={mailbox}
            onBack={() => setStep('business')}
            onSkip={(obj) => {
              // What step 2 set up earlier and the user backed out of is gone; only a saved mailbox remains.
              setObject(obj)
              setSending(mailbox ? 'smtp' : null)
              setStep('done')
            }}
            onSaved={(choice, mb, obj) => {
              setObject(obj)
              setSending(choice)
              setMailbox(mb)
              setStep('profile')
            }}
          />
        )}
        {step === 'profile' && object && sending && (
          <StepProfile
            object={object}
            mailbox={mailbox}
            sending={sending}
            profile={profile}
            onBack={() => setStep('sending')}
            onSkip={() => setStep('done')}
            onSaved={(p) => {
              setProfile(p)
              setStep('done')
            }}
          />
        )}
        {step === 'done' && <StepDone object={object} mailbox={mailbox} sending={sending} profile={profile} onDone={onDone} />}
      </div>
    </div>
  )
}
