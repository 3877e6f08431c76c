// What starts an autoresponder: a tag being added, a new contact, or a date on the contact.
import type { JSX } from 'react'
import { Field } from '../../components/Field'
import { Icon, type IconName } from '../../components/Icons'
import { TagChip } from '../../components/TagChip'
import { resolveTag, TagPicker } from '../../components/TagPicker'
import { toastError, useApp } from '../../store'

export interface TriggerDraft {
  type: 'TAG_ADDED' | 'CONTACT_CREATED' | 'DATE_BASED'
  tagId: number | null
  /** 'createdAt' or a custom field key. */
  field: string
  offset: string
  direction: 'after' | 'before'
}

const KINDS: Array<{ type: TriggerDraft['type']; icon: IconName; title: string; help: string }> = [
  { type: 'TAG_ADDED', icon: 'tag', title: 'A tag is added', help: 'e.g. “Holiday form”' },
  { type: 'CONTACT_CREATED', icon: 'user', title: 'A contact is created', help: 'By hand or from an import' },
  { type: 'DATE_BASED', icon: 'calendar', title: 'A date comes round', help: 'A date on the contact, checked daily' },
]

export function TriggerPicker({ value, onChange, errors }: { value: TriggerDraft; onChange: (t: TriggerDraft) => void; errors: Record<string, string> }): JSX.Element {
  const tags = useApp((s) => s.tags)
  const tag = tags?.find((t) => t.id === value.tagId)
  const custom = value.field !== 'createdAt'
  return (
    <div className="trigger">
      <div className="choice-cards" role="radiogroup" aria-label="Trigger">
        {KINDS.map((k) => (
          <label key={k.type} className={`choice-card${value.type === k.type ? ' is-checked' : ''}`}>
            <input type="radio" name="trigger" className="visually-hidden" checked={value.type === k.type} onChange={() => onChange({ ...value, type: k.type })} />
            <span className="choice-icon">
              <Icon name={k.icon} size={16} />
            </span>
            <span className="choice-title">{k.title}</span>
            <span className="choice-text">{k.help}</span>
          </label>
        ))}
      </div>
      {value.type === 'TAG_ADDED' && (
        <Field label="Tag" error={errors['trigger.tagId'] ?? errors.trigger}>
          {() => (
            <div className="trigger-tag">
              {tag ? (
                <span className="trigger-tag-chosen">
                  <TagChip name={tag.name} color={tag.color} onRemove={() => onChange({ ...value, tagId: null })} />
                </span>
              ) : (
                <TagPicker
                  label="Tag"
                  placeholder="Pick or create a tag…"
                  collapsible
                  onPick={(choice) =>
                    void resolveTag(choice).then((t) => onChange({ ...value, tagId: t.id }), toastError)
                  }
                />
              )}
            </div>
          )}
        </Field>
      )}
      {value.type === 'DATE_BASED' && (
        <div className="form-grid trigger-date">
          <Field label="Date" error={errors['trigger.field']}>
            {(p) => (
              <select className="input select" {...p} value={custom ? 'custom' : 'createdAt'} onChange={(e) => onChange({ ...value, field: e.target.value === 'custom' ? '' : 'createdAt' })}>
                <option value="createdAt">Date added</option>
                <option value="custom">A custom date field</option>
              </select>
            )}
          </Field>
          {custom ? (
            <Field label="Custom field" error={errors['trigger.field']} hint="A contact field holding YYYY-MM-DD, e.g. Birthday">
              {(p) => <input className="input" {...p} value={value.field} placeholder="Birthday" onChange={(e) => onChange({ ...value, field: e.target.value })} />}
            </Field>
          ) : (
            <span />
          )}
          <Field label="Days" className="span-2" error={errors['trigger.offsetDays']} hint="0 fires on the date itself; checked once a day, and caught up after the app was closed">
            {(p) => (
              <div className="delay-inputs">
                <input className="input delay-value" type="number" min={0} max={3650} {...p} value={value.offset} onChange={(e) => onChange({ ...value, offset: e.target.value })} />
                <select className="input select" aria-label="Before or after" value={value.direction} onChange={(e) => onChange({ ...value, direction: e.target.value as 'after' | 'before' })}>
                  <option value="after">days after the date</option>
                  <option value="before">days before the date</option>
                </select>
              </div>
            )}
          </Field>
        </div>
      )}
    </div>
  )
}
