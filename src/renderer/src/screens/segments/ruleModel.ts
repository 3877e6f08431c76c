// The builder's view of segment rules: flat rows (one level of groups is what the engine allows; the
// builder offers "all" or "any" over a list of conditions), with defaults per field.
import { CONTACT_STATUSES } from '../../../../shared/models'
import { OPS_BY_KIND, kindOf, type Group, type Rule } from '../../../../shared/segments'

export interface RuleRow extends Rule {
  /** Stable key for React while rows are added and removed. */
  key: number
}

let seq = 1
export const FIELD_CHOICES: Array<{ value: string; label: string; group: string }> = [
  { value: 'tag', label: 'Tag', group: 'Contact' },
  { value: 'status', label: 'Status', group: 'Contact' },
  { value: 'object', label: 'Business', group: 'Contact' },
  { value: 'companyId', label: 'Company', group: 'Contact' },
  { value: 'email', label: 'Email', group: 'Fields' },
  { value: 'name', label: 'Name', group: 'Fields' },
  { value: 'company', label: 'Company name (typed)', group: 'Fields' },
  { value: 'phone', label: 'Phone', group: 'Fields' },
  { value: 'fields.', label: 'Custom field…', group: 'Fields' },
  { value: 'lastInboundAt', label: 'Last mail from them', group: 'Activity' },
  { value: 'lastOutboundAt', label: 'Last mail to them', group: 'Activity' },
  { value: 'replied', label: 'Replied to our mail', group: 'Activity' },
  { value: 'opened', label: 'Opened our mail', group: 'Activity' },
  { value: 'createdAt', label: 'Added', group: 'Activity' },
]

export const opsFor = (field: string): readonly string[] => {
  const kind = kindOf(field === 'fields.' ? 'fields.x' : field)
  return kind ? OPS_BY_KIND[kind] : []
}

export const needsValue = (op: string): boolean => !['isEmpty', 'isNotEmpty', 'ever', 'never'].includes(op)

/** A sensible value when the field or operator changes. */
export function defaultValue(field: string, op: string, ids: { tag?: number; object?: number; company?: number }): unknown {
  if (!needsValue(op)) return undefined
  const kind = kindOf(field === 'fields.' ? 'fields.x' : field)
  if (kind === 'tag') return ids.tag
  if (kind === 'object') return ids.object
  if (kind === 'companyId') return ids.company
  if (kind === 'status') return CONTACT_STATUSES[0]
  if (kind === 'date' || kind === 'event') {
    if (op === 'between') {
      const today = new Date().toISOString().slice(0, 10)
      const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
      return { from: monthAgo, to: today }
    }
    return { days: 30 }
  }
  return ''
}

export function newRow(field: string, ids: { tag?: number; object?: number; company?: number }): RuleRow {
  const op = opsFor(field)[0] ?? 'equals'
  return { key: seq++, field, op, value: defaultValue(field, op, ids) }
}

/** Rows and the all/any choice → the engine's rules (the empty custom field name is kept, for its error). */
export function toRules(match: 'all' | 'any', rows: RuleRow[]): Group {
  const items = rows.map(({ field, op, value }) => (value === undefined ? { field, op } : { field, op, value }))
  return match === 'all' ? { all: items } : { any: items }
}

/**
 * A saved segment's rules → rows. `nested` when it holds a group inside the group (made through the
 * contract): the builder then leaves its rules alone rather than drop what it cannot show.
 */
export function fromRules(rules: Group): { match: 'all' | 'any'; rows: RuleRow[]; nested: boolean } {
  const match = 'all' in rules ? 'all' : 'any'
  const items = 'all' in rules ? rules.all : rules.any
  return { match, rows: items.filter((i): i is Rule => 'field' in i).map((r) => ({ ...r, key: seq++ })), nested: items.some((i) => !('field' in i)) }
}
