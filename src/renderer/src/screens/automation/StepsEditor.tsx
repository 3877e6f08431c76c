// The ordered messages of an autoresponder (actions) or a sequence (steps): subject, body and delay per
// message; add, remove and reorder. Remembers which field was last focused so the variables helper
// can insert at the cursor.
import type { JSX } from 'react'
import { Field } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { RichField, type RichEditorHandle } from '../../components/RichEditor'
import { DELAY_UNITS, VARIABLES } from '../../lib/automation'
import { plural } from '../../lib/format'
import { delayOf, newMessage, type MessageDraft } from './messageDraft'
import { UseTemplate, withTemplate } from '../templates/InsertTemplate'
import { ChannelChoice, TextStepFields } from './TextStepFields'
import { ChannelBadge } from '../texts/TextThread'

export interface Focus {
  index: number
  field: 'subject' | 'body' | 'text' | 'templateVars'
  /** The subject input (or a text step's textarea), to insert at its cursor. */
  el?: HTMLInputElement | HTMLTextAreaElement
  /** The body's rich editor, which inserts a variable chip at its own cursor. */
  editor?: RichEditorHandle
}

interface Props {
  noun: 'Action' | 'Step'
  messages: MessageDraft[]
  onChange: (messages: MessageDraft[]) => void
  errors: Record<string, string>
  active: number
  onActive: (index: number) => void
  focus: React.MutableRefObject<Focus | null>
  /** The business whose library templates each message can start from (null: every business's). */
  objectId?: number | null
}

export function StepsEditor({ noun, messages, onChange, errors, active, onActive, focus, objectId = null }: Props): JSX.Element {
  const update = (i: number, patch: Partial<MessageDraft>) => onChange(messages.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  const move = (i: number, by: number) => {
    const next = [...messages]
    const [m] = next.splice(i, 1)
    next.splice(i + by, 0, m)
    onChange(next)
    onActive(i + by)
  }
  const remove = (i: number) => {
    onChange(messages.filter((_, j) => j !== i))
    onActive(Math.max(0, Math.min(active, messages.length - 2)))
  }
  const add = () => {
    onChange([...messages, newMessage({ value: noun === 'Step' ? 2 : 1, unit: 'days' })])
    onActive(messages.length)
  }
  const delayLabel = noun === 'Step' ? 'Wait before sending' : 'Send'
  return (
    <div className="steps">
      {messages.map((m, i) => (
        <StepCard
          key={m.key}
          noun={noun}
          index={i}
          count={messages.length}
          message={m}
          errors={errors}
          active={i === active}
          delayLabel={delayLabel}
          onActive={() => onActive(i)}
          onChange={(patch) => update(i, patch)}
          onMove={(by) => move(i, by)}
          onRemove={() => remove(i)}
          focus={focus}
          objectId={objectId}
        />
      ))}
      <button type="button" className="btn step-add" onClick={add} disabled={messages.length >= 20}>
        <Icon name="plus" /> Add {noun.toLowerCase()}
      </button>
    </div>
  )
}

interface CardProps {
  noun: string
  index: number
  count: number
  message: MessageDraft
  errors: Record<string, string>
  active: boolean
  delayLabel: string
  onActive: () => void
  onChange: (patch: Partial<MessageDraft>) => void
  objectId: number | null
  onMove: (by: number) => void
  onRemove: () => void
  focus: React.MutableRefObject<Focus | null>
}

function StepCard({ noun, index, count, message, errors, active, delayLabel, onActive, onChange, onMove, onRemove, focus, objectId }: CardProps): JSX.Element {
  const label = `${noun} ${index + 1}`
  const when = whenText(noun, index, message)
  const track = (e: React.FocusEvent<HTMLInputElement>) => {
    focus.current = { index, field: 'subject', el: e.currentTarget }
    onActive()
  }
  return (
    <fieldset className={`step-card${active ? ' is-active' : ''}`} aria-label={label} onFocus={onActive}>
      <div className="step-head">
        <span className="step-number" aria-hidden="true">
          {index + 1}
        </span>
        <div className="step-head-text">
          <span className="step-title">
            {label}
            {message.channel !== 'email' && <ChannelBadge channel={message.channel} />}
          </span>
          <span className="step-when">
            <Icon name="clock" size={13} /> {when}
          </span>
        </div>
        <div className="step-tools">
          {message.channel === 'email' && <UseTemplate objectId={objectId} label={`Use a template for ${label}`} onUse={(t) => onChange(withTemplate(message, t))} />}
          <button type="button" className="icon-button" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            <Icon name="arrowUp" size={15} />
          </button>
          <button type="button" className="icon-button" aria-label={`Move ${label} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            <Icon name="arrowDown" size={15} />
          </button>
          <button type="button" className="icon-button" aria-label={`Remove ${label}`} disabled={count === 1} onClick={onRemove}>
            <Icon name="trash" size={15} />
          </button>
        </div>
      </div>
      <div className="step-body">
        <ChannelChoice value={message.channel} onChange={(channel) => onChange({ channel })} error={errors[`${index}.channel`]} />
        {message.channel !== 'email' ? (
          <TextStepFields index={index} message={message} errors={errors} objectId={objectId} onChange={onChange} focus={focus} onActive={onActive} />
        ) : (
          <>
            <Field label="Subject" error={errors[`${index}.subject`]}>
              {(p) => <input className="input" {...p} value={message.subject} placeholder="e.g. Welcome, {{contact.first_name}}!" onFocus={track} onChange={(e) => onChange({ subject: e.target.value })} />}
            </Field>
            <RichField
              label="Message"
              error={errors[`${index}.body`]}
              className="step-editor"
              value={message.body}
              variables={VARIABLES}
              placeholder="Hi {{contact.first_name}}, …"
              onFocus={(editor) => {
                focus.current = { index, field: 'body', editor }
                onActive()
              }}
              onChange={(body) => onChange({ body })}
            />
          </>
        )}
        <div className="delay-row">
          <Field label={delayLabel} error={errors[`${index}.delay`]} className="delay-field">
            {(p) => (
              <div className="delay-inputs">
                <input
                  className="input delay-value"
                  type="number"
                  min={0}
                  max={3650}
                  {...p}
                  value={message.delay.value}
                  onChange={(e) => onChange({ delay: { ...message.delay, value: e.target.value } })}
                />
                <select
                  className="input select"
                  aria-label={`${delayLabel} unit`}
                  value={message.delay.unit}
                  onChange={(e) => onChange({ delay: { ...message.delay, unit: e.target.value as MessageDraft['delay']['unit'] } })}
                >
                  {DELAY_UNITS.map((u) => (
                    <option key={u} value={u}>
                      {u}
                    </option>
                  ))}
                </select>
                <span className="delay-after">{noun === 'Step' ? (index === 0 ? 'after enrolment' : 'after the previous step') : 'after the trigger'}</span>
              </div>
            )}
          </Field>
        </div>
      </div>
    </fieldset>
  )
}

/** "Immediately", "2 days after the trigger", "Right after enrolment", "3 days after the previous step". */
function whenText(noun: string, index: number, m: MessageDraft): string {
  const d = delayOf(m)
  const amount = plural(d.value, d.unit.replace(/s$/, ''), d.unit)
  if (noun === 'Action') return d.value === 0 ? 'Immediately' : `${amount} after the trigger`
  const after = index === 0 ? 'enrolment' : 'the previous step'
  return d.value === 0 ? `Right after ${after}` : `${amount} after ${after}`
}
