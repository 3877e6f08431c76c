// Companies: the organisations your contacts work for, each with its people and its last mail. Contacts
// join a company by their email domain on their own; a row opens the company's page.
import { useState, type JSX } from 'react'
import type { Company } from '../../../../shared/segments'
import { ListPage } from '../../components/ListPage'
import { formatCount, plural, timeAgo } from '../../lib/format'
import { navigate } from '../../lib/router'
import { LinkRow } from '../../components/Table'
import { useQuery } from '../../lib/useQuery'
import { objectName, useApp } from '../../store'
import { CompanyDialog } from './CompanyDialog'

export function CompaniesScreen(): JSX.Element {
  const list = useQuery('companies.list', {}, { events: ['companies.changed', 'contacts.changed'], delayMs: 400 })
  const [creating, setCreating] = useState(false)
  const items = list.data
  return (
    <ListPage
      title="Companies"
      subtitle={items?.length ? plural(items.length, 'company', 'companies') : 'The organisations your contacts work for'}
      list={list}
      newLabel="New company"
      onNew={() => setCreating(true)}
      empty={{
        icon: 'building',
        title: 'No companies yet',
        text: 'Add a company with its web domain: everyone with an email at that domain joins it, now and when they are added or imported later.',
      }}
      after={creating && <CompanyDialog onClose={() => setCreating(false)} onSaved={(c) => (setCreating(false), navigate({ name: 'companies', id: c.id }))} />}
      columns={['Company', 'Domain', { label: 'People', num: true }, 'Last mail']}
      row={(c) => <Row key={c.id} item={c} />}
    />
  )
}

function Row({ item }: { item: Company }): JSX.Element {
  const objects = useApp((s) => s.objects)
  return (
    <LinkRow to={{ name: 'companies', id: item.id }} title={item.name} sub={item.objectId === null ? 'Every business' : objectName(objects, item.objectId)}>
      <td>{item.domain ?? <span className="muted">No domain</span>}</td>
      <td className="num strong">{formatCount(item.contactCount)}</td>
      <td>{item.lastActivityAt ? timeAgo(item.lastActivityAt) : <span className="muted">None yet</span>}</td>
    </LinkRow>
  )
}
