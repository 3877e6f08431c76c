// Sequences: each with its status, steps and where its contacts stand (enrolled, active, replied,
// bounced). A row opens the sequence.
import type { JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { Icon } from '../../components/Icons'
import { LinkRow } from '../../components/Table'
import { ListPage } from '../../components/ListPage'
import { rate, windowText } from '../../lib/automation'
import { formatCount, plural } from '../../lib/format'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { objectName, useApp } from '../../store'
import { enrolledOf } from './sequenceDraft'

export function SequencesScreen(): JSX.Element {
  const list = useQuery('sequences.list', {}, { events: ['automation.changed', 'outbox.changed'], delayMs: 400 })
  const items = list.data
  const active = items?.filter((s) => s.status === 'active').length ?? 0
  const create = () => navigate({ name: 'sequences', id: 'new' })
  return (
    <ListPage
      title="Sequences"
      subtitle={items?.length ? `${plural(items.length, 'sequence')} · ${formatCount(active)} running` : 'Follow-ups that stop when the contact replies'}
      list={list}
      newLabel="New sequence"
      onNew={create}
      empty={{
        icon: 'steps',
        title: 'No sequences yet',
        text: 'A sequence sends a series of follow-ups across your mailboxes, inside business hours, and stops for each contact the moment they reply or bounce.',
      }}
      columns={['Sequence', 'Status', { label: 'Steps', num: true }, { label: 'Enrolled', num: true }, { label: 'Active', num: true }, { label: 'Replied', num: true }, { label: 'Bounced', num: true }]}
      row={(s) => <Row key={s.id} item={s} />}
    />
  )
}

function Row({ item }: { item: Sequence }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const enrolled = enrolledOf(item)
  const c = (k: string) => item.counts[k] ?? 0
  return (
    <LinkRow to={{ name: 'sequences', id: item.id }} title={item.name} sub={`${objectName(objects, item.objectId)} · ${plural(item.mailboxIds.length, 'mailbox', 'mailboxes')} · ${windowText(item.window)}`}>
      <td>
        <span className={`badge ${item.status === 'active' ? 'badge-green' : 'badge-amber'}`}>
          <Icon name={item.status === 'active' ? 'play' : 'pause'} size={11} /> {item.status === 'active' ? 'Running' : 'Paused'}
        </span>
      </td>
      <td className="num">{formatCount(item.steps.length)}</td>
      <td className="num strong">{formatCount(enrolled)}</td>
      <td className="num">{formatCount(c('active'))}</td>
      <td className="num">
        {formatCount(c('replied'))}
        {c('replied') > 0 && <span className="rate">{rate(c('replied'), enrolled)}</span>}
      </td>
      <td className={`num${c('bounced') ? ' danger-text' : ''}`}>{formatCount(c('bounced'))}</td>
    </LinkRow>
  )
}
