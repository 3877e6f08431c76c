// Small display helpers shared by every screen, so names, dates and counts read the same everywhere.
import type { Contact } from '../../../shared/models'

const numberFmt = new Intl.NumberFormat('en-US')
export const formatCount = (n: number): string => numberFmt.format(n)

/** "1 contact", "1,234 contacts". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`

export function fullName(c: Pick<Contact, 'firstName' | 'lastName'>): string {
  return `${c.firstName} ${c.lastName}`.trim()
}

/** What to call a contact in a heading: their name, else their email, else a neutral label. */
export function displayName(c: Pick<Contact, 'firstName' | 'lastName' | 'email' | 'phone'>): string {
  return fullName(c) || c.email || c.phone || 'Unnamed contact'
}

export function initials(text: string): string {
  const words = text.replace(/@.*/, '').split(/[\s._-]+/).filter(Boolean)
  const letters = words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? '?').slice(0, 2)
  return letters.toUpperCase()
}

const dateFmt = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' })
export function formatDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d)
}

// An instant as the engine writes it into stored text (event details): 2026-12-05T06:22:09.495Z.
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g

/** Stored text with each instant in it shown as a date and time here ("Scheduled for Dec 5, 2026, 6:22 AM"). */
export function withLocalTimes(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => formatDate(iso))
}

/** A stable hue per string, for avatars: the same person always gets the same colour. */
export function hueFor(text: string): number {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0
  return h % 360
}

const relFmt = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' })
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]
/** "in 5 minutes", "2 hours ago", "just now"; beyond a week, the date itself. */
export function relativeTime(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return iso
  const diff = t - now
  if (Math.abs(diff) < 45_000) return diff > 0 ? 'in a moment' : 'just now'
  if (Math.abs(diff) > 7 * 86_400_000) return formatDate(iso)
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms || unit === 'minute') return relFmt.format(Math.round(diff / ms), unit)
  return formatDate(iso)
}

/** For moments that have happened: a timestamp a little ahead of this screen's clock reads "just now". */
export const timeAgo = (iso: string, now = Date.now()): string => relativeTime(iso, Math.max(now, Date.now()))

const timeFmt = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })
/** "Mon, Nov 24, 9:00 AM": for scheduled sends, where the weekday matters. */
export function formatWhen(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : timeFmt.format(d)
}

/** "ava@x.com, ben@y.com +2": recipients in one line. */
export function recipientsLine(to: string[], max = 2): string {
  if (to.length === 0) return 'No recipients'
  const shown = to.slice(0, max).join(', ')
  return to.length > max ? `${shown} +${to.length - max}` : shown
}

/** Server replies rarely end in a full stop; ours follow them in the same paragraph. */
export const sentence = (text: string): string => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)
