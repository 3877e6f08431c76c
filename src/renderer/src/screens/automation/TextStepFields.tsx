// A sequence step's or autoresponder action's channel (email, SMS, WhatsApp) and, for a text, its words with
// variables, the live segment counter, who it is sent from, and (WhatsApp) the approved template used when the
// contact's 24-hour window is closed. The engine refuses a text step the business cannot send; this says so first.
import type { JSX } from 'react'
import type { OutboxChannel } from '../../../../shared/channels'
import { Field } from '../../components/Field'
import { Segmented } from '../../components/Segmented'
import { useQuery } from '../../lib/useQuery'
import { SegmentCounter } from '../texts/SegmentCounter'
import { ChannelBadge } from '../texts/TextThread'
import type { MessageDraft } from './messageDraft'
import type { Focus } from './StepsEditor'
import '../../styles/channels.css'
import '../../styles/textSteps.css'

const LABELS: Record<OutboxChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' }

export function ChannelChoice({ value, onChange, error }: { value: OutboxChannel; onChange: (c: OutboxChannel) => void; error?: string }): JSX.Element {
  return (
    <div className={`step-channel${error ? ' has-error' : ''}`}>
      <Segmented label="Channel" value={value} onChange={onChange} options={(['email', 'sms', 'whatsapp'] as const).map((c) => ({ value: c, label: LABELS[c] }))} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

/** The business's Twilio senders (null while unknown or for an autoresponder of every business). */
function useSenders(objectId: number | null): { sms: string | null; whatsapp: string | null } | null {
  const q = useQuery('twilio.get', objectId === null ? null : { objectId }, { events: ['objects.changed'], keepPrevious: false })
  if (objectId === null || q.data === undefined) return null
  const s = q.data
  if (!s?.hasAuthToken) return { sms: null, whatsapp: null }
  return { sms: s.smsFrom ?? (s.messagingServiceSid ? 'its Messaging Service' : null), whatsapp: s.whatsappFrom }
}

interface Props {
  index: number
  message: MessageDraft
  errors: Record<string, string>
  objectId: number | null
  onChange: (patch: Partial<MessageDraft>) => void
  focus: React.MutableRefObject<Focus | null>
  onActive: () => void
}

export function TextStepFields({ index, message, errors, objectId, onChange, focus, onActive }: Props): JSX.Element {
  const channel = message.channel === 'whatsapp' ? 'whatsapp' : 'sms'
  const senders = useSenders(objectId)
  const from = senders?.[channel]
  const track = (e: React.FocusEvent<HTMLInputElement | HTMLTextAreaElement>, field: 'text' | 'templateVars') => {
    focus.current = { index, field, el: e.currentTarget }
    onActive()
  }
  return (
    <>
      {senders && (
        <p className={`step-text-from${from ? '' : ' is-missing'}`} role={from ? undefined : 'alert'}>
          {from ? `Sent from ${from}` : `This business has no ${LABELS[channel]} number yet: add one under Businesses → Twilio before saving.`}
        </p>
      )}
      <Field label={`${LABELS[channel]} message`} error={errors[`${index}.text`]} optional={channel === 'whatsapp' && message.contentSid.trim() !== ''}>
        {(p) => (
          <textarea
            className="input textarea step-text"
            rows={4}
            {...p}
            value={message.text}
            placeholder="Hi {{contact.first_name}}, …"
            onFocus={(e) => track(e, 'text')}
            onChange={(e) => onChange({ text: e.target.value })}
          />
        )}
      </Field>
      <div className="step-text-foot">
        <SegmentCounter body={message.text} testId={`segment-counter-${index}`} />
        <span className="step-text-note">Variables are filled in per contact; texts carry no footer.</span>
      </div>
      {channel === 'whatsapp' && (
        <details className="step-wa-template" open={message.contentSid !== '' || undefined}>
          <summary>Outside the 24-hour window: an approved template</summary>
          <p className="field-hint">WhatsApp allows free text only within 24 hours of the contact’s last message. Outside it this template is sent instead; without one, the step is skipped for that contact.</p>
          <Field label="Template (ContentSid)" error={errors[`${index}.contentSid`]} optional>
            {(p) => <input className="input" {...p} value={message.contentSid} placeholder="HX…" onChange={(e) => onChange({ contentSid: e.target.value })} />}
          </Field>
          <Field label="Its values, one per line ({{1}}, {{2}} …)" optional>
            {(p) => <textarea className="input textarea" rows={2} {...p} value={message.templateVars} placeholder="{{contact.first_name}}" onFocus={(e) => track(e, 'templateVars')} onChange={(e) => onChange({ templateVars: e.target.value })} />}
          </Field>
        </details>
      )}
    </>
  )
}

/** The side panel's preview of a text step: the words as a message bubble, variables shown as typed. */
export function TextPreview({ label, message }: { label: string; message: MessageDraft }): JSX.Element {
  const channel = message.channel === 'whatsapp' ? 'whatsapp' : 'sms'
  const text = message.text.trim()
  return (
    <section className="card preview-card" aria-labelledby="text-preview-head">
      <div className="card-header preview-header">
        <div>
          <h3 id="text-preview-head">Preview</h3>
          <p className="card-help">
            {label}, {channel === 'sms' ? 'an SMS' : 'a WhatsApp message'}
          </p>
        </div>
        <ChannelBadge channel={channel} />
      </div>
      <div className="card-body step-preview-text">
        {text ? (
          <div className="text-bubble is-out step-preview-bubble" aria-label="The text">
            <p className="text-bubble-body">{text}</p>
          </div>
        ) : (
          <p className="preview-placeholder">{channel === 'whatsapp' && message.contentSid.trim() ? 'Only the approved template is sent.' : 'Write the message to see it here.'}</p>
        )}
        {text && <SegmentCounter body={text} testId={`preview-segments`} />}
        <p className="field-hint">Each {'{{variable}}'} is filled with the contact’s own details when the step is sent; a contact missing one is skipped, never sent a blank.</p>
      </div>
    </section>
  )
}
