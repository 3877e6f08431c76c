// Words, times and small rules for the inbox, shared by the list, the reading pane, the sidebar and the
// contact timeline so they all say the same thing.
import type { Address, InboxThread, MessageSummary, SyncStatus } from '../../../shared/inbox'
import { formatCount } from './format'

/**
 * An unread count as shown: "1,234", or "200+" when the engine only counted that far (a search for a very
 * common word says so with unreadThreadsAtLeast; issue 23).
 */
export const unreadLabel = (n: number, atLeast?: boolean): string => `${formatCount(n)}${atLeast ? '+' : ''}`

/** "Mia Lopez", else the address, else a neutral word. */
export const addressLabel = (a: Address | null | undefined): string => (a ? a.name.trim() || a.email : 'Unknown sender')

/** Mail client times: "9:41 AM" today, "Mon" this week, "Nov 3" this year, else "Nov 3, 2024". */
export function listTime(iso: string, now = Date.now()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const today = new Date(now)
  if (d.toDateString() === today.toDateString()) return d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })
  const days = (now - d.getTime()) / 86_400_000
  if (days >= 0 && days < 6) return d.toLocaleDateString('en-US', { weekday: 'short' })
  if (d.getFullYear() === today.getFullYear()) return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })
}

/** The long form in a message header: "Mon, Nov 23, 2026, 9:41 AM". */
export function fullTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' })
}

/** A message header's time: "Today, 9:41 AM", "Nov 3, 9:41 AM", "Nov 3, 2024". */
export function headTime(iso: string, now = Date.now()): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const time = d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' })
  if (d.toDateString() === new Date(now).toDateString()) return `Today, ${time}`
  if (d.getFullYear() === new Date(now).getFullYear()) return `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}, ${time}`
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })
}

/** "12 KB", "1.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Who a thread row names: the contacts when known (that is the CRM's point), else the participants. */
export function threadPeople(t: InboxThread): string {
  const names = t.contacts.length ? t.contacts.map((c) => c.name || c.email) : t.participants
  if (names.length === 0) return t.latest.direction === 'out' ? `To ${t.latest.to.map(addressLabel).join(', ') || 'nobody'}` : addressLabel(t.latest.from)
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} +${names.length - 3}` : names.join(', ')
}

/** Addresses for a reply: reply → Reply-To or From; reply-all adds To and Cc; our own addresses are left out. */
export function replyRecipients(
  m: Pick<MessageSummary, 'from' | 'to' | 'cc' | 'direction'> & { replyTo?: Address[] },
  mode: 'reply' | 'replyAll' | 'forward',
  own: string[],
): { to: string[]; cc: string[] } {
  if (mode === 'forward') return { to: [], cc: [] }
  const mine = new Set(own.map((e) => e.toLowerCase()))
  const unique = (list: Address[]) => [...new Set(list.map((a) => a.email.toLowerCase()))].filter((e) => e && !mine.has(e))
  // Replying to our own sent mail means writing to its recipients again.
  const primary = m.direction === 'out' ? m.to : m.replyTo?.length ? m.replyTo : m.from ? [m.from] : []
  const to = unique(primary)
  if (mode === 'reply') return { to: to.length ? to : unique(m.to), cc: [] }
  // Same split as the engine's default: everyone it was sent to stays on To, its Cc stays on Cc.
  const allTo = [...to, ...(m.direction === 'out' ? [] : unique(m.to).filter((e) => !to.includes(e)))]
  return { to: allTo, cc: unique(m.cc).filter((e) => !allTo.includes(e)) }
}

export const replySubject = (subject: string, mode: 'reply' | 'replyAll' | 'forward'): string => {
  const prefix = mode === 'forward' ? 'Fwd:' : 'Re:'
  const re = mode === 'forward' ? /^\s*(fwd?|fw):/i : /^\s*re:/i
  return re.test(subject) ? subject : `${prefix} ${subject}`.trim()
}

export type SyncTone = 'green' | 'blue' | 'amber' | 'red' | 'slate'
/** What a mailbox's sync state says to the user, and in which colour. */
export function syncWords(s: SyncStatus, now = Date.now()): { label: string; detail: string | null; tone: SyncTone } {
  switch (s.state) {
    case 'connecting':
      return { label: 'Connecting…', detail: null, tone: 'blue' }
    case 'syncing': {
      const p = s.progress
      const where = p && p.folder !== 'INBOX' ? `${p.folder} ` : ''
      const left = p?.etaSeconds != null && p.done < p.total ? ` · ${timeLeft(p.etaSeconds)}` : ''
      const detail = p && p.total > 0 ? `${where}${formatCount(p.done)} of ${formatCount(p.total)}${left}` : p ? p.folder : null
      return { label: 'Syncing', detail, tone: 'blue' }
    }
    case 'idle':
      return { label: 'Up to date', detail: s.lastSyncAt ? agoShort(s.lastSyncAt, now) : null, tone: 'green' }
    case 'offline':
      return { label: 'Offline', detail: s.lastSyncAt ? `Last synced ${agoShort(s.lastSyncAt, now)}` : 'Showing mail stored on this computer', tone: 'amber' }
    case 'auth_error':
      return { label: 'Sign-in failed', detail: s.error, tone: 'red' }
    case 'error':
      return { label: 'Sync error', detail: s.error, tone: 'red' }
    default:
      return { label: 'Not syncing', detail: s.error ?? 'No incoming server set up', tone: 'slate' }
  }
}

/** "about 3 min left": the first sync's estimate, rounded as a person would say it (issue 23). */
export function timeLeft(seconds: number): string {
  if (seconds < 60) return 'under a minute left'
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min left`
  const h = Math.floor(seconds / 3600)
  const m = Math.round((seconds % 3600) / 60)
  return m ? `about ${h} h ${m} min left` : `about ${h} h left`
}

function agoShort(iso: string, now: number): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000)
  if (Number.isNaN(s)) return ''
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`
  return listTime(iso, now)
}

/** Keys the inbox answers to; shown in the "?" sheet. */
export const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'Next / previous conversation'],
  ['r', 'Reply'],
  ['a', 'Reply all'],
  ['f', 'Forward'],
  ['c', 'New message'],
  ['u', 'Mark read / unread'],
  ['/', 'Search'],
  ['Esc', 'Close the reply or leave search'],
  ['?', 'Show these shortcuts'],
]

/** True when a key press belongs to whatever the user is typing in, not to the shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || Boolean(el.closest?.('dialog[open]'))
}
