// The top of every page: its title, one line of context (a count, a state, what the page is for) and the
// page's actions on the right. One markup for all pages, so they line up and read alike.
import type { JSX, ReactNode } from 'react'
import { hrefFor, type Route } from '../lib/router'
import { Icon } from './Icons'

interface PageHeaderProps {
  title: ReactNode
  /** The line under the title; a count while loaded, words while not. */
  subtitle?: ReactNode
  actions?: ReactNode
  /** Extra class on the actions row (the dashboard's filters). */
  actionsClassName?: string
}

export function PageHeader({ title, subtitle, actions, actionsClassName }: PageHeaderProps): JSX.Element {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle !== undefined && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className={`page-actions${actionsClassName ? ` ${actionsClassName}` : ''}`}>{actions}</div>}
    </header>
  )
}

/** The way back to the list a detail page came from, above its header. */
export function BackLink({ to, children }: { to: Route; children: ReactNode }): JSX.Element {
  return (
    <a className="back-link" href={hrefFor(to)}>
      <Icon name="chevronLeft" size={14} /> {children}
    </a>
  )
}
