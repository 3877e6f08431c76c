// What the sidebar's status line says (issue 20, defect 5): not just whether this window reaches the
// engine, but whether mail actually goes out and comes in: the network, each server the outbox depends
// on, every mailbox's sign-in, and the IMAP sync. Derived from current state only (net.status, sync.status,
// the mailboxes and Mailgun settings), so it clears itself when the cause is fixed.
import { useQuery } from '../lib/useQuery'
import { useApp } from '../store'

export type HealthTone = 'open' | 'connecting' | 'closed'
export interface MailHealth {
  /** Short words for the status line. */
  text: string
  /** The dot's colour: green, amber, red (the existing status-dot classes). */
  tone: HealthTone
  /** A longer explanation (the status line's tooltip). */
  detail: string | null
}

const CONNECTION = { open: 'Connected', connecting: 'Connecting…', closed: 'Offline' } as const

export function useMailHealth(): MailHealth {
  const connection = useApp((s) => s.connection)
  const net = useApp((s) => s.net)
  const sync = useApp((s) => s.sync)
  const objects = useApp((s) => s.objects)
  // A mailbox's sign-in state changes with an objects.changed event.
  const mailboxes = useQuery('mailboxes.list', {}, { events: ['objects.changed', 'transport.open'], enabled: connection === 'open' }).data

  if (connection !== 'open') return { text: CONNECTION[connection], tone: connection, detail: null }
  if (net && !net.hostOnline) return { text: 'Offline', tone: 'closed', detail: 'This computer is offline. Messages wait and go out when it is back.' }
  const stopped = (mailboxes ?? []).filter((m) => m.status === 'auth_error')
  const mailgun = (objects ?? []).filter((o) => o.mailgun?.authError)
  if (stopped.length || mailgun.length) {
    const names = [...stopped.map((m) => m.email), ...mailgun.map((o) => `Mailgun of ${o.name}`)]
    return { text: 'Sending stopped', tone: 'closed', detail: `${names.join(', ')}: the server refused the settings. Fix them in Businesses.` }
  }
  const down = net?.endpoints.filter((e) => !e.online) ?? []
  if (down.length) return { text: 'Sending waits', tone: 'connecting', detail: down.map((e) => `${e.label}: ${e.lastError ?? 'does not answer'}`).join('\n') }
  const syncStopped = (sync ?? []).filter((s) => s.state === 'auth_error')
  if (syncStopped.length) return { text: 'Receiving stopped', tone: 'closed', detail: syncStopped.map((s) => `${s.email}: ${s.error ?? 'the IMAP server refused the login'}`).join('\n') }
  const syncDown = (sync ?? []).filter((s) => s.state === 'offline' || s.state === 'error')
  if (syncDown.length) return { text: 'Receiving waits', tone: 'connecting', detail: syncDown.map((s) => `${s.email}: ${s.error ?? 'the IMAP server does not answer'}`).join('\n') }
  return { text: 'Connected', tone: 'open', detail: null }
}
