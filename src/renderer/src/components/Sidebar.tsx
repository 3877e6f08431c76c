// The left rail: brand, Compose, the sections (the inbox with its unread conversations, the outbox with how
// many messages are on their way), and the connection state at the bottom.
import { useEffect, type JSX } from 'react'
import { formatCount } from '../lib/format'
import { unreadLabel } from '../lib/inbox'
import { pendingCount } from '../lib/outbox'
import { hrefFor, type Route } from '../lib/router'
import { ComposeButton } from '../screens/compose/ComposeButton'
import { useApp } from '../store'
import { Icon, type IconName } from './Icons'
import { ThemeSwitch } from './ThemeSwitch'
import { TaskBadge } from './TaskBadge'
import { useMailHealth } from './mailHealth'
// team workspace (issue 22)
import { TeamIndicator } from '../screens/team/TeamIndicator'

type Badge = 'outbox' | 'inbox' | 'tasks'
const NAV: Array<{ label: string; icon: IconName; route: Route; matches: Route['name'][]; badge?: Badge; section?: string }> = [
  { label: 'Inbox', icon: 'inbox', route: { name: 'inbox' }, matches: ['inbox'], badge: 'inbox' },
  { label: 'Today', icon: 'check', route: { name: 'today' }, matches: ['today'], badge: 'tasks' },
  { label: 'Contacts', icon: 'contacts', route: { name: 'contacts' }, matches: ['contacts', 'contact'] },
  { label: 'Companies', icon: 'building', route: { name: 'companies' }, matches: ['companies'] },
  { label: 'Drafts', icon: 'file', route: { name: 'drafts' }, matches: ['drafts'] },
  { label: 'Outbox', icon: 'outbox', route: { name: 'outbox' }, matches: ['outbox'], badge: 'outbox' },
  { label: 'Autoresponders', icon: 'zap', route: { name: 'autoresponders' }, matches: ['autoresponders'], section: 'Automation' },
  { label: 'Sequences', icon: 'steps', route: { name: 'sequences' }, matches: ['sequences'] },
  { label: 'Flows', icon: 'flow', route: { name: 'flows' }, matches: ['flows'] },
  { label: 'Templates', icon: 'braces', route: { name: 'templates' }, matches: ['templates'] },
  { label: 'Dashboard', icon: 'chart', route: { name: 'dashboard' }, matches: ['dashboard'] },
  { label: 'Import', icon: 'import', route: { name: 'import' }, matches: ['import'], section: 'Workspace' },
  { label: 'Businesses', icon: 'building', route: { name: 'businesses' }, matches: ['businesses'] },
  { label: 'Data & backups', icon: 'server', route: { name: 'data' }, matches: ['data'] },
]

export function Sidebar({ route }: { route: Route }): JSX.Element {
  // Whether mail really goes out and comes in, not only whether the engine is reachable (mailHealth.ts).
  const health = useMailHealth()
  const counts = useApp((s) => s.outboxCounts)
  const pending = pendingCount(counts)
  const failed = counts?.failed ?? 0
  const unread = useApp((s) => s.inboxUnread) ?? 0
  const atLeast = useApp((s) => s.inboxUnreadAtLeast)
  // The window title carries the unread count, as mail clients do (it shows in the taskbar).
  useEffect(() => {
    document.title = unread > 0 ? `(${unreadLabel(unread, atLeast)}) Switchboard` : 'Switchboard'
  }, [unread, atLeast])
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="send" size={15} />
        </span>
        <span className="brand-name">Switchboard</span>
      </div>
      <ComposeButton className="compose-button" />
      <nav className="nav" aria-label="Main">
        {NAV.map((item) => {
          const current = item.matches.includes(route.name)
          return [
            item.section && (
              <span key={`${item.section}-section`} className="nav-section" aria-hidden="true">
                {item.section}
              </span>
            ),
            <a key={item.label} href={hrefFor(item.route)} className={`nav-item${current ? ' is-current' : ''}`} aria-current={current ? 'page' : undefined}>
              <Icon name={item.icon} />
              {item.label}
              {item.badge === 'inbox' && unread > 0 && (
                <span className="nav-badge is-unread" title={`${unreadLabel(unread, atLeast)} unread conversations`}>
                  {unreadLabel(unread, atLeast)}
                  <span className="visually-hidden"> unread</span>
                </span>
              )}
              {item.badge === 'tasks' && <TaskBadge />}
              {item.badge === 'outbox' && (pending > 0 || failed > 0) && (
                <span className={`nav-badge${failed > 0 ? ' is-alert' : ''}`} title={`${formatCount(pending)} on the way${failed ? `, ${formatCount(failed)} failed` : ''}`}>
                  {formatCount(pending || failed)}
                  <span className="visually-hidden">{pending ? ' waiting' : ' failed'}</span>
                </span>
              )}
            </a>,
          ]
        })}
      </nav>
      <div className="sidebar-footer">
        <span className={`status-dot status-${health.tone}`} aria-hidden="true" />
        <span role="status" title={health.detail ?? undefined}>
          {health.text}
        </span>
        <TeamIndicator current={route.name === 'team'} />
        <ThemeSwitch />
      </div>
    </aside>
  )
}
