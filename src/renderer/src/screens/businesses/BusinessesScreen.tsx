// Businesses: the list on the left, the selected business's settings on the right.
import { useState, type JSX } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useApp } from '../../store'
import { BusinessDetail } from './BusinessDetail'
import { NewBusinessDialog } from './NewBusinessDialog'
import { AddButton } from '../../components/AddButton'

export function BusinessesScreen({ selectedId }: { selectedId?: number }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const [creating, setCreating] = useState(false)
  const selected = objects?.find((o) => o.id === selectedId) ?? objects?.[0]

  return (
    <div className="page">
      <PageHeader
        title="Businesses"
        subtitle={<>{objects ? plural(objects.length, 'business', 'businesses') : 'Loading…'} in this workspace</>}
        actions={
          <>
            <AddButton label="New business" onClick={() => setCreating(true)} primary />
          </>
        }
      />
      {objects && objects.length === 0 ? (
        <div className="page-body">
          <EmptyState
            icon="building"
            title="No businesses yet"
            actions={<AddButton label="New business" onClick={() => setCreating(true)} primary />}
          >
            A business has its own contacts, sending domain, mailboxes and sender profiles.
          </EmptyState>
        </div>
      ) : (
        <div className="split">
          <nav className="biz-list" aria-label="Businesses">
            {objects?.map((o) => (
              <a key={o.id} href={hrefFor({ name: 'businesses', id: o.id })} className={`biz-card${o.id === selected?.id ? ' is-selected' : ''}`} aria-current={o.id === selected?.id ? 'true' : undefined}>
                <span className="biz-card-name">{o.name}</span>
                <span className="biz-card-zone">{o.timezone}</span>
                <span className="biz-card-stats">
                  <span>{plural(o.contactCount, 'contact')}</span>
                  <span>{plural(o.profileCount, 'profile')}</span>
                  <span>{plural(o.mailboxCount, 'mailbox', 'mailboxes')}</span>
                </span>
              </a>
            ))}
          </nav>
          <div className="split-detail">{selected && <BusinessDetail key={selected.id} object={selected} />}</div>
        </div>
      )}
      {creating && <NewBusinessDialog onClose={() => setCreating(false)} />}
    </div>
  )
}
