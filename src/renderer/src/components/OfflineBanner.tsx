// The slim bar at the top of the shell when mail cannot go out: the computer is offline, a mail server
// cannot be reached, or the window has lost its connection to the engine itself.
import type { JSX } from 'react'
import { PROBLEM_ACTION, PROBLEM_TITLE, type ServerErrorCode } from '../../../shared/serverErrors'
import { plural } from '../lib/format'
import { hrefFor } from '../lib/router'
import { useApp } from '../store'
import { Icon } from './Icons'

export function useBannerText(): { tone: 'amber' | 'red'; text: string } | null {
  const connection = useApp((s) => s.connection)
  const net = useApp((s) => s.net)
  if (connection === 'closed') return { tone: 'red', text: 'Lost the connection to Switchboard — reconnecting… Your drafts are kept on this computer.' }
  if (!net) return null
  const down = net.endpoints.filter((e) => !e.online)
  if (net.online && down.length === 0) return null
  const held = plural(net.held, 'message')
  if (!net.hostOnline || down.length === 0)
    return {
      tone: 'amber',
      text: net.held
        ? `Offline — ${held} ${net.held === 1 ? 'is' : 'are'} waiting and will send when the connection is back`
        : 'Offline — messages you send will wait and go out when the connection is back',
    }
  const where = down.length === 1 ? down[0].label : `${down.length} mail servers`
  // One server with a known problem: say which, and what fixes it (a wrong port is not "the network").
  const code = down.length === 1 ? (down[0].code as ServerErrorCode | null | undefined) : null
  const what = code && PROBLEM_TITLE[code] ? ` (${PROBLEM_TITLE[code].toLowerCase()}${PROBLEM_ACTION[code] ? `: ${PROBLEM_ACTION[code]}` : ''})` : ''
  return { tone: 'amber', text: `Can’t reach ${where}${what} — ${net.held ? `${held} held` : 'new messages will wait until it is back'}` }
}

export function OfflineBanner(): JSX.Element | null {
  const banner = useBannerText()
  if (!banner) return null
  return (
    <div className={`offline-banner tone-${banner.tone}`} role="status">
      <Icon name="wifiOff" size={15} />
      <span className="offline-banner-text">{banner.text}</span>
      {banner.tone === 'amber' && (
        <a className="offline-banner-link" href={hrefFor({ name: 'outbox' })}>
          View outbox
        </a>
      )}
    </div>
  )
}
