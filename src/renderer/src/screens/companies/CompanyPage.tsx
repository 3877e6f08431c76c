// One company: its people (with when each last wrote and was written to) and the newest mail with any
// of them, newest first. A person opens their contact page; a message opens its conversation.
import { useState, type JSX } from 'react'
import type { Company } from '../../../../shared/segments'
import { useConfirm } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { BackLink, PageHeader } from '../../components/PageHeader'
import { formatWhen, plural, timeAgo } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastOk, useApp } from '../../store'
import { LoadError } from '../automation/LoadState'
import { CompanyDialog } from './CompanyDialog'

export function CompanyPage({ id }: { id: number }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const company = useQuery('companies.get', { id }, { events: ['companies.changed', 'contacts.changed', 'inbox.changed'], delayMs: 400 })
  const [editing, setEditing] = useState(false)
  const deleting = useConfirm((c: Company) => ({
    title: `Delete ${c.name}?`,
    message: 'Its people stay in your contacts, without a company.',
    confirmLabel: 'Delete company',
    onConfirm: async () => {
      await rpc('companies.delete', { id: c.id })
      toastOk(`${c.name} deleted`)
      navigate({ name: 'companies' })
    },
  }))
  const c = company.data
  if (!c) return <div className="page">{company.error ? <LoadError message={company.error} onRetry={company.reload} /> : <p className="muted">Loading…</p>}</div>
  return (
    <div className="page company-page">
      <BackLink to={{ name: 'companies' }}>Companies</BackLink>
      <PageHeader
        title={c.name}
        subtitle={[c.domain ?? 'No domain', c.objectId === null ? 'Every business' : objectName(objects, c.objectId), plural(c.contactCount, 'person', 'people'), c.lastActivityAt ? `last mail ${timeAgo(c.lastActivityAt)}` : 'no mail yet'].join(' · ')}
        actions={
          <>
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className="btn btn-danger-outline" onClick={() => deleting.ask(c)}>
              <Icon name="trash" size={14} /> Delete
            </button>
          </>
        }
      />
      <div className="company-columns">
        <section className="card company-people" aria-label="People">
          <div className="card-header">
            <h2 className="company-card-title">People</h2>
          </div>
          {c.people.length === 0 ? (
            <p className="muted company-empty">Nobody yet. {c.domain ? `Contacts with an email at ${c.domain} join on their own.` : 'Give the company a domain, or put contacts in it from their page.'}</p>
          ) : (
            <ul className="company-list">
              {c.people.map((p) => (
                <li key={p.id}>
                  <a href={hrefFor({ name: 'contact', id: p.id })} className="company-person">
                    <span className="row-title">{p.name || p.email}</span>
                    <span className="row-sub">{p.email ?? 'No email'}</span>
                  </a>
                  <span className="company-when">
                    {p.lastInboundAt ? `wrote ${timeAgo(p.lastInboundAt)}` : 'never wrote'}
                    {p.lastOutboundAt ? ` · we wrote ${timeAgo(p.lastOutboundAt)}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card company-mail" aria-label="Recent mail">
          <div className="card-header">
            <h2 className="company-card-title">Recent mail</h2>
          </div>
          {c.recentMail.length === 0 ? (
            <EmptyState icon="mail" title="No mail yet">
              Mail in and out with any of its people shows here.
            </EmptyState>
          ) : (
            <ul className="company-list">
              {c.recentMail.map((m) => (
                <li key={m.messageId}>
                  <a className="company-message" href={hrefFor({ name: 'inbox', id: m.threadId })} onClick={(e) => (e.preventDefault(), navigate({ name: 'inbox', id: m.threadId }))}>
                    <span className={`company-dir is-${m.direction}`} title={m.direction === 'in' ? 'From them' : 'From us'}>
                      <Icon name={m.direction === 'in' ? 'inbox' : 'send'} size={13} />
                    </span>
                    <span className="company-message-main">
                      <span className="row-title">{m.subject || '(no subject)'}</span>
                      <span className="row-sub">
                        {m.fromName || m.fromEmail} — {m.snippet}
                      </span>
                    </span>
                    <time className="company-when" dateTime={m.date}>
                      {formatWhen(m.date)}
                    </time>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {editing && <CompanyDialog company={c} onClose={() => setEditing(false)} onSaved={() => (setEditing(false), company.reload())} />}
      {deleting.dialog}
    </div>
  )
}
