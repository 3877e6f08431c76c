// The status bar's team indicator (issue 22), in the rail's footer row (no height added to a rail that must
// fit 1024x700): on a solo desktop a small "Team" door to Settings › Team; in a team, synced, syncing or
// offline with the changes waiting, in short, with the full words in its title and for screen readers.
import { useEffect, useState, type JSX } from 'react'
import type { TeamStatus } from '../../../../shared/team'
import { Icon } from '../../components/Icons'
import { hrefFor } from '../../lib/router'
import { onEvent, rpc } from '../../rpc'
import { teamWords } from './teamWords'
import '../../styles/team.css'
import '../../styles/teamLeave.css'

const SHORT = { ok: 'Synced', busy: 'Syncing', off: 'Offline', gone: 'Removed' } as const

export function TeamIndicator({ current = false }: { current?: boolean }): JSX.Element | null {
  const [status, setStatus] = useState<TeamStatus | null>(null)
  useEffect(() => {
    let live = true
    const load = () => void rpc('team.status', {}).then((s) => live && setStatus(s), () => undefined)
    load()
    const offs = [onEvent('team.status', (s) => setStatus(s)), onEvent('transport.open', load)]
    // "synced 2 minutes ago" ages while nothing happens.
    const timer = setInterval(load, 60_000)
    return () => ((live = false), offs.forEach((off) => off()), clearInterval(timer))
  }, [])
  if (!status) return null
  const href = hrefFor({ name: 'team' })
  const here = current ? 'page' : undefined
  if (status.state === 'solo')
    return (
      <a href={href} className="team-door" title="Team workspace: share this desktop with your staff, or join your team" aria-label="Team workspace" aria-current={here} data-testid="team-indicator">
        <Icon name="user" size={15} />
      </a>
    )
  const w = teamWords(status)
  return (
    <a href={href} className={`team-indicator team-${w.tone}`} title={`${w.label}. ${w.detail}`} aria-current={here} data-testid="team-indicator">
      <Icon name={w.tone === 'gone' ? 'alert' : w.tone === 'off' ? 'wifiOff' : w.tone === 'busy' ? 'retry' : 'cloudCheck'} size={13} />
      <span aria-hidden="true">
        {SHORT[w.tone]}
        {status.pendingOps > 0 ? ` · ${status.pendingOps}` : ''}
      </span>
      <span className="visually-hidden" role="status">
        {w.label}
      </span>
    </a>
  )
}
