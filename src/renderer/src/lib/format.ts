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

/** A stable hue per string, for avatars: the same person always gets the same colour. */
export function hueFor(text: string): number {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0
  return h % 360
}
