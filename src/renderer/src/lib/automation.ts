// Words and small helpers shared by the autoresponder, sequence and dashboard screens. (Repeated from
// shared/automation as plain data so the renderer bundle does not pull in zod.)
import type { Delay, Execution, SequenceContact, Trigger } from '../../../shared/automation'
import type { Tag } from '../../../shared/models'
import { plural } from './format'

export type Tone = 'green' | 'amber' | 'red' | 'slate' | 'blue' | 'violet'
export const DELAY_UNITS = ['minutes', 'hours', 'days'] as const
export type DelayUnit = (typeof DELAY_UNITS)[number]

/** "Immediately", "after 2 days". */
export function delayText(d: Delay, zero = 'Immediately'): string {
  if (d.value === 0) return zero
  const one = d.unit.replace(/s$/, '')
  return `after ${plural(d.value, one, d.unit)}`
}

/** One line for a trigger: "When “Holiday form” is added", "On signup date + 3 days". */
export function triggerText(t: Trigger, tags: Tag[] | null): string {
  if (t.type === 'TAG_ADDED') {
    const name = tags?.find((x) => x.id === t.tagId)?.name
    return name ? `When “${name}” is added` : 'When a tag is added'
  }
  if (t.type === 'CONTACT_CREATED') return 'When a contact is created'
  const field = dateFieldLabel(t.field)
  if (t.offsetDays === 0) return `On the ${field}`
  return `${plural(Math.abs(t.offsetDays), 'day')} ${t.offsetDays > 0 ? 'after' : 'before'} the ${field}`
}

export const dateFieldLabel = (field: string): string => (field === 'createdAt' ? 'date added' : `“${field}” date`)

export const EXECUTION_STATUS: Record<Execution['status'], { label: string; tone: Tone }> = {
  PENDING: { label: 'Pending', tone: 'slate' },
  SENT: { label: 'Sent', tone: 'green' },
  FAILED: { label: 'Failed', tone: 'red' },
  SKIPPED: { label: 'Skipped', tone: 'amber' },
}

export const CONTACT_STATUS: Record<SequenceContact['status'], { label: string; tone: Tone }> = {
  active: { label: 'Active', tone: 'blue' },
  paused: { label: 'Paused', tone: 'amber' },
  completed: { label: 'Completed', tone: 'green' },
  replied: { label: 'Replied', tone: 'violet' },
  bounced: { label: 'Bounced', tone: 'red' },
  unsubscribed: { label: 'Unsubscribed', tone: 'slate' },
  failed: { label: 'Failed', tone: 'red' },
}
export const CONTACT_STATUSES = Object.keys(CONTACT_STATUS) as Array<SequenceContact['status']>

/** What a template can use; the engine's names (snake_case, like the seeds). */
export const VARIABLES: Array<{ name: string; help: string }> = [
  { name: 'contact.first_name', help: 'First name' },
  { name: 'contact.last_name', help: 'Last name' },
  { name: 'contact.full_name', help: 'Full name' },
  { name: 'contact.email', help: 'Email address' },
  { name: 'contact.company', help: 'Company' },
  { name: 'contact.phone', help: 'Phone' },
  { name: 'contact.fields.<name>', help: 'A custom field' },
  { name: 'business.name', help: 'Business name' },
  { name: 'business.postal_address', help: 'Business address' },
  { name: 'profile.display_name', help: 'Sender name' },
  { name: 'profile.email', help: 'Sender email' },
  { name: 'unsubscribe_url', help: 'Unsubscribe link' },
]

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

/** "9 AM", "Noon", "12 AM" (start of day), "Midnight" (end of day) for an hour 0–24. */
export function hourLabel(h: number): string {
  if (h === 0) return '12 AM'
  if (h === 24) return 'Midnight'
  if (h === 12) return 'Noon'
  return h < 12 ? `${h} AM` : `${h - 12} PM`
}

/** "Mon–Fri, 9 AM–5 PM". */
export function windowText(w: { days: number[]; startHour: number; endHour: number } | null): string {
  if (!w) return 'Any time'
  const days = [...w.days].sort((a, b) => a - b)
  const weekdays = days.length === 5 && days.every((d, i) => d === i + 1)
  const dayText = days.length === 7 ? 'Every day' : weekdays ? 'Mon–Fri' : days.map((d) => WEEKDAYS[d]).join(', ')
  const hours = w.startHour === 0 && w.endHour === 24 ? 'all day' : `${hourLabel(w.startHour)}–${hourLabel(w.endHour)}`
  return `${dayText}, ${hours}`
}

/** A percentage with one decimal, or a dash when nothing was sent. */
export const rate = (part: number, whole: number): string => (whole <= 0 ? '—' : part === 0 ? '0%' : `${((part / whole) * 100).toFixed(part / whole < 0.1 ? 1 : 0)}%`)
