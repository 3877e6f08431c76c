// What each CSV column can become, in words a business owner recognises.
import { fieldKeyFor } from '../../../../shared/csv'

export const TARGET_LABELS: Record<string, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  company: 'Company',
  phone: 'Phone',
  timezone: 'Time zone',
  tags: 'Tags',
  object: 'Business name',
  ignore: 'Don’t import',
}

export function targetLabel(target: string): string {
  if (target.startsWith('fields.')) return `Custom field “${target.slice(7)}”`
  return TARGET_LABELS[target] ?? target
}

/** The choices for one column: every standard field, its own custom field, and "don't import". */
export function targetOptions(header: string, current: string): Array<{ value: string; label: string }> {
  const custom = `fields.${fieldKeyFor(header)}`
  const values = ['email', 'firstName', 'lastName', 'company', 'phone', 'timezone', 'tags', 'object', custom]
  if (current.startsWith('fields.') && current !== custom) values.push(current)
  return [...values.map((value) => ({ value, label: targetLabel(value) })), { value: 'ignore', label: TARGET_LABELS.ignore }]
}
