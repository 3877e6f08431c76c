// Words and colours for the outbox: statuses, hold reasons and timeline events, in one place so the
// Outbox screen, the detail panel and the banner say the same thing. (Repeated from shared/outbound
// as plain data so the renderer bundle does not pull in zod.)
import type { HoldReason, OutboundMessage, OutboxStatus } from '../../../shared/outbound'
import { PROBLEM_TITLE, type ServerErrorCode } from '../../../shared/serverErrors'

export const PENDING: readonly OutboxStatus[] = ['queued', 'sending', 'retry_wait', 'held']
export const RECENT: readonly OutboxStatus[] = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'skipped', 'cancelled']

export interface Group {
  key: string
  title: string
  statuses: readonly OutboxStatus[]
  /** Collapsed until opened (the history can be long). */
  collapsible?: boolean
}

export const GROUPS: Group[] = [
  { key: 'sending', title: 'Sending', statuses: ['sending'] },
  { key: 'queued', title: 'Queued', statuses: ['queued'] },
  { key: 'retrying', title: 'Retrying', statuses: ['retry_wait'] },
  { key: 'held', title: 'Held', statuses: ['held'] },
  { key: 'failed', title: 'Failed', statuses: ['failed'] },
  { key: 'recent', title: 'Recent', statuses: RECENT, collapsible: true },
]

type Tone = 'green' | 'amber' | 'red' | 'slate' | 'blue' | 'violet'
export const STATUS: Record<OutboxStatus, { label: string; tone: Tone }> = {
  queued: { label: 'Queued', tone: 'slate' },
  sending: { label: 'Sending', tone: 'blue' },
  sent: { label: 'Sent', tone: 'green' },
  retry_wait: { label: 'Retrying', tone: 'amber' },
  held: { label: 'Held', tone: 'amber' },
  failed: { label: 'Failed', tone: 'red' },
  skipped: { label: 'Skipped', tone: 'slate' },
  cancelled: { label: 'Cancelled', tone: 'slate' },
  delivered: { label: 'Delivered', tone: 'green' },
  opened: { label: 'Opened', tone: 'blue' },
  clicked: { label: 'Clicked', tone: 'violet' },
  bounced: { label: 'Bounced', tone: 'red' },
}

// Every hold reason has words (typed, so a new reason cannot be left raw).
export const HOLD_WORDS: Record<HoldReason, string> = {
  offline: 'Waiting for the network',
  unreachable: 'Can’t reach the server',
  capacity: 'Daily cap reached',
  auth: 'Sign-in failed',
  paused: 'Mailbox paused',
  window: 'Outside the sending window',
}
const FAILURE_WORDS: Record<string, string> = {
  transient: 'Temporary error',
  rate_limit: 'Rate limited by the server',
  permanent: 'Rejected',
  auth: 'Sign-in failed',
  offline: 'Could not connect',
}

/** A human reason for the status, or null when the status says it all. */
export function reasonOf(m: Pick<OutboundMessage, 'status' | 'statusReason' | 'scheduledFor' | 'undoUntil' | 'errorCode'>, now = Date.now()): string | null {
  const r = m.statusReason
  // A server's address or settings problem says which (a wrong port is not "waiting for the network").
  const problem = m.errorCode ? PROBLEM_TITLE[m.errorCode as ServerErrorCode] : undefined
  if (m.status === 'held' && problem && (r === 'auth' || r === 'unreachable')) return problem
  if (m.status === 'held') return (r && HOLD_WORDS[r as HoldReason]) ?? r ?? 'Held'
  if (m.status === 'retry_wait' || m.status === 'failed') return (r && FAILURE_WORDS[r]) ?? r
  if (m.status === 'queued' && m.undoUntil && Date.parse(m.undoUntil) > now) return 'Can still be undone'
  // The badge already says it; only an unusual reason (e.g. "Undone: back in drafts") is worth repeating.
  if (m.status === 'cancelled' && r === 'Cancelled by the user') return null
  return r
}

/** Asked to go later than it was written (compared on the engine's clock, which may be a test clock). */
export const isScheduled = (m: Pick<OutboundMessage, 'status' | 'scheduledFor' | 'createdAt'>): boolean =>
  m.status === 'queued' && Date.parse(m.scheduledFor) > Date.parse(m.createdAt) + 60_000

/** Auth holds lift when the settings are fixed, not by retrying. */
export const canRetry = (m: Pick<OutboundMessage, 'status' | 'statusReason'>): boolean =>
  m.status === 'failed' || m.status === 'retry_wait' || (m.status === 'held' && m.statusReason !== 'auth')
export const canCancel = (m: Pick<OutboundMessage, 'status'>): boolean => m.status === 'queued' || m.status === 'retry_wait' || m.status === 'held'
export const canUndo = (m: Pick<OutboundMessage, 'status' | 'undoUntil'>, now = Date.now()): boolean =>
  m.status === 'queued' && m.undoUntil !== null && Date.parse(m.undoUntil) > now

export const EVENT_LABEL: Record<string, string> = {
  queued: 'Queued',
  skipped: 'Skipped',
  sending: 'Sending',
  sent: 'Accepted by the server',
  held: 'Held',
  released: 'Released',
  resumed: 'Resumed',
  retry_wait: 'Will retry',
  retry: 'Retried',
  failed: 'Failed',
  cancelled: 'Cancelled',
  undone: 'Undone',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  bounced: 'Bounced',
  deferred: 'Delivery delayed',
  complained: 'Marked as spam',
  unsubscribed: 'Unsubscribed',
  status: 'Status changed',
}

export const eventTone = (type: string): Tone =>
  ['failed', 'bounced', 'complained'].includes(type)
    ? 'red'
    : ['held', 'retry_wait', 'deferred'].includes(type)
      ? 'amber'
      : ['sent', 'delivered'].includes(type)
        ? 'green'
        : ['opened', 'clicked', 'sending'].includes(type)
          ? 'blue'
          : 'slate'

/** Messages still on their way (the sidebar badge). */
export const pendingCount = (counts: Record<string, number> | null): number => (counts ? PENDING.reduce((n, s) => n + (counts[s] ?? 0), 0) : 0)

// ---- Scheduled messages whose mailbox cannot sign in (issue 20). A scheduled row is not held until its
// time comes, so the warning is derived from the mailbox's current status, and clears when it is fixed.
/** Why a mailbox can't send right now, or null: only its sign-in/settings state (status 'auth_error'). */
export type MailboxSignIn = { id: number; objectId: number; email: string; status: string; statusCode?: string | null }

/** "Mailbox can't sign in: fix it before Tue 9:00", or null when the message is not at risk. */
export function signInWarning(
  m: Pick<OutboundMessage, 'status' | 'scheduledFor' | 'createdAt' | 'transport' | 'mailboxId'>,
  mailbox: MailboxSignIn | undefined,
  when: (iso: string) => string,
): string | null {
  if (!isScheduled(m) || m.transport !== 'smtp' || !mailbox || mailbox.id !== m.mailboxId || mailbox.status !== 'auth_error') return null
  return `Mailbox can’t sign in: fix it before ${when(m.scheduledFor)}`
}
