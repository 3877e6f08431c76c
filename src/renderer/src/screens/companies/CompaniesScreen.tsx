// Companies: the organisations your contacts work for, each with its people and its last mail. Contacts
// join a company by their email domain on their own; a row opens the company's page.
import { useState, type JSX } from 'react'
import type { Company } from '../../../../shared/segments'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { formatCount, plural, timeAgo } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { objectName, useApp } from '../../store'
import { ListBody } from '../automation/LoadState'
import { CompanyDialog } from './CompanyDialog'

export function CompaniesScreen(): JSX.Element {
  const list = useQuery('companies.list', {}, { events: ['companies.changed', 'contacts.changed'], delayMs: 400 })
  const [creating, setCreating] = useState(false)
  const items = list.data
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Companies</h1>
          <p className="page-subtitle">{items?.length ? plural(items.length, 'company', 'companies') : 'The organisations your contacts work for'}</p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            <Icon name="plus" /> New company
          </button>
        </div>
      </header>
      <ListBody
        error={list.error}
        items={items}
        onRetry={list.reload}
        empty={
          <EmptyState
            icon="building"
            title="No companies yet"
            actions={
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                <Icon name="plus" /> New company
              </button>
            }
          >
            Add a company with its web domain: everyone with an email at that domain joins it, now and when they are added or imported later.
          </EmptyState>
        }
      >
        {(items) => (
          <div className="card table-card">
            <table className="data-table" aria-label="Companies">
              <thead>
                <tr>
                  <th>Company</th>
                  <th>Domain</th>
                  <th className="num">People</th>
                  <th>Last mail</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <Row key={c.id} item={c} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ListBody>
      {creating && <CompanyDialog onClose={() => setCreating(false)} onSaved={(c) => (setCreating(false), navigate({ name: 'companies', id: c.id }))} />}
    </div>
  )
}

function Row({ item }: { item: Company }): JSX.Element {
  const objects = useApp((s) => s.objects)
  return (
    <tr className="is-clickable" onClick={() => navigate({ name: 'companies', id: item.id })}>
      <td>
        <a className="row-title" href={hrefFor({ name: 'companies', id: item.id })} onClick={(e) => e.stopPropagation()}>
          {item.name}
        </a>
        <span className="row-sub">{item.objectId === null ? 'Every business' : objectName(objects, item.objectId)}</span>
      </td>
      <td>{item.domain ?? <span className="muted">No domain</span>}</td>
      <td className="num strong">{formatCount(item.contactCount)}</td>
      <td>{item.lastActivityAt ? timeAgo(item.lastActivityAt) : <span className="muted">None yet</span>}</td>
    </tr>
  )
}
