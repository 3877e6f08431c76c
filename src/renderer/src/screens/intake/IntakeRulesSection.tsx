// A business's web-form intake rules (issue 18): which inbound mail is a form submission, and what it does
// (contact created or filled in, tags, a sequence). Listed in the business's settings; edited in a dialog
// with a preview against a recent message.
import { useState, type JSX } from 'react'
import type { IntakeRule } from '../../../../shared/intake'
import type { BizObject } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { TagChip } from '../../components/TagChip'
import { formatWhen, plural } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { useApp } from '../../store'
import '../../styles/intake.css'
import { IntakeRuleDialog } from './IntakeRuleDialog'
import { ItemListCard } from '../../components/Card'

/** The rule's conditions in one line ("From @site.com · subject contains “Contact form”"). */
export function ruleSummary(r: Pick<IntakeRule, 'fromMatch' | 'toMatch' | 'subjectMatch' | 'subjectMode'>): string {
  const parts: string[] = []
  if (r.fromMatch) parts.push(`from ${r.fromMatch}`)
  if (r.toMatch) parts.push(`to ${r.toMatch}`)
  if (r.subjectMatch) parts.push(r.subjectMode === 'regex' ? `subject matches /${r.subjectMatch}/` : `subject contains “${r.subjectMatch}”`)
  const line = parts.join(' · ')
  return line.charAt(0).toUpperCase() + line.slice(1)
}

export function IntakeRulesSection({ object }: { object: BizObject }): JSX.Element {
  const rules = useQuery('intake.rules.list', { objectId: object.id }, { events: ['intake.changed', 'tags.changed'] })
  const tags = useApp((s) => s.tags) ?? []
  const [editing, setEditing] = useState<IntakeRule | 'new' | null>(null)
  return (
    <ItemListCard
      id="intake-title"
      title="Web-form intake"
      help="Turn your website’s form e-mails into contacts: tag them and start their autoresponders."
      addLabel="New intake rule"
      onAdd={() => setEditing('new')}
      items={rules.data}
      label="Intake rules"
      empty="No intake rules. Add one to say which e-mails are form submissions, for example everything from forms@yoursite.com."
      error={rules.error && `Intake rules could not be loaded: ${rules.error}`}
      row={(r) => (
        <li key={r.id} className="item-row intake-rule-row">
          <span className="intake-rule-icon" aria-hidden="true">
            <Icon name="inbox" size={16} />
          </span>
          <div className="item-main">
            <span className="item-title">{r.name}</span>
            <span className="item-sub">{ruleSummary(r)}</span>
            {r.tagIds.length > 0 && (
              <span className="intake-rule-tags">
                {r.tagIds.map((id) => {
                  const t = tags.find((x) => x.id === id)
                  return t ? <TagChip key={id} name={t.name} color={t.color} /> : null
                })}
              </span>
            )}
          </div>
          <span className="intake-rule-stat">
            {r.handled ? `${plural(r.handled, 'form')} handled` : 'No forms yet'}
            {r.lastHandledAt && <span className="muted"> · last {formatWhen(r.lastHandledAt)}</span>}
          </span>
          <span className={`badge ${r.enabled ? 'badge-green' : 'badge-slate'}`}>{r.enabled ? 'On' : 'Off'}</span>
          <button type="button" className="btn btn-ghost btn-sm" aria-label={`Edit rule ${r.name}`} onClick={() => setEditing(r)}>
            Edit
          </button>
        </li>
      )}
    >
      {editing && <IntakeRuleDialog object={object} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </ItemListCard>
  )
}
