// The left rail: brand, the three sections, and the connection state at the bottom.
import type { JSX } from 'react'
import { hrefFor, type Route } from '../lib/router'
import { useApp } from '../store'
import { Icon, type IconName } from './Icons'

const NAV: Array<{ label: string; icon: IconName; route: Route; matches: Route['name'][] }> = [
  { label: 'Contacts', icon: 'contacts', route: { name: 'contacts' }, matches: ['contacts', 'contact'] },
  { label: 'Import', icon: 'import', route: { name: 'import' }, matches: ['import'] },
  { label: 'Businesses', icon: 'building', route: { name: 'businesses' }, matches: ['businesses'] },
]

const CONNECTION_TEXT = { open: 'Connected', connecting: 'Connecting…', closed: 'Offline' } as const

export function Sidebar({ route }: { route: Route }): JSX.Element {
  const connection = useApp((s) => s.connection)
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="send" size={15} />
        </span>
        <span className="brand-name">Switchboard</span>
      </div>
      <nav className="nav" aria-label="Main">
        {NAV.map((item) => {
          const current = item.matches.includes(route.name)
          return (
            <a key={item.label} href={hrefFor(item.route)} className={`nav-item${current ? ' is-current' : ''}`} aria-current={current ? 'page' : undefined}>
              <Icon name={item.icon} />
              {item.label}
            </a>
          )
        })}
      </nav>
      <div className="sidebar-footer">
        <span className={`status-dot status-${connection}`} aria-hidden="true" />
        <span role="status">{CONNECTION_TEXT[connection]}</span>
      </div>
    </aside>
  )
}
