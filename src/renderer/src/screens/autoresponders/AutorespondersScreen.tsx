// Autoresponders: every rule with its trigger, how many messages it holds and how it has done (sent,
// failed, last fired), with an on/off switch per row. A row opens the editor.
import { useEffect, useState, type JSX } from 'react'
import type { Autoresponder } from '../../../../shared/automation'
import { Icon } from '../../components/Icons'
import { LinkRow } from '../../components/Table'
import { ListPage } from '../../components/ListPage'
import { triggerText } from '../../lib/automation'
import { formatCount, plural, relativeTime } from '../../lib/format'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastError, toastOk, useApp } from '../../store'

export function AutorespondersScreen(): JSX.Element {
  const list = useQuery('autoresponders.list', {}, { events: ['automation.changed', 'outbox.changed'], delayMs: 400 })
  const items = list.data
  const sent = items?.reduce((n, a) => n + a.totalSent, 0) ?? 0
  const active = items?.filter((a) => a.isActive).length ?? 0
  const create = () => navigate({ name: 'autoresponders', id: 'new' })

  return (
    <ListPage
      title="Autoresponders"
      subtitle={items?.length ? `${plural(items.length, 'autoresponder')} · ${formatCount(active)} on · ${plural(sent, 'message')} sent` : 'Messages that go out on their own when something happens to a contact'}
      list={list}
      newLabel="New autoresponder"
      onNew={create}
      empty={{
        icon: 'zap',
        title: 'No autoresponders yet',
        text: 'Greet every contact tagged “Holiday form”, welcome new contacts, or send a note on a date. Each message goes out from the contact’s own business.',
      }}
      columns={[{ label: 'On', className: 'col-toggle' }, 'Autoresponder', 'Business', { label: 'Messages', num: true }, { label: 'Sent', num: true }, { label: 'Failed', num: true }, 'Last fired']}
      row={(a) => <Row key={a.id} item={a} />}
    />
  )
}

function Row({ item }: { item: Autoresponder }): JSX.Element {
  const tags = useApp((s) => s.tags)
  const objects = useApp((s) => s.objects)
  // The switch moves at once; it goes back if the engine refuses.
  const [on, setOn] = useState(item.isActive)
  useEffect(() => setOn(item.isActive), [item.isActive])
  const toggle = async (isActive: boolean) => {
    setOn(isActive)
    try {
      await rpc('autoresponders.update', { id: item.id, isActive })
      toastOk(`${item.name} is ${isActive ? 'on' : 'off'}`)
    } catch (err) {
      setOn(!isActive)
      toastError(err)
    }
  }
  return (
    <LinkRow
      to={{ name: 'autoresponders', id: item.id }}
      lead={
        <td className="col-toggle" onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" role="switch" className="toggle" aria-label={`${item.name} is on`} checked={on} onChange={(e) => void toggle(e.target.checked)} />
        </td>
      }
      title={item.name}
      sub={
        <>
          <Icon name={item.trigger.type === 'TAG_ADDED' ? 'tag' : item.trigger.type === 'DATE_BASED' ? 'calendar' : 'user'} size={13} />
          {triggerText(item.trigger, tags)}
        </>
      }
    >
      <td className="muted-cell">{item.objectId === null ? 'All businesses' : objectName(objects, item.objectId)}</td>
      <td className="num">{formatCount(item.actions.length)}</td>
      <td className="num strong">{formatCount(item.totalSent)}</td>
      <td className={`num${item.totalFailed ? ' danger-text' : ''}`}>{formatCount(item.totalFailed)}</td>
      <td className="muted-cell">{item.lastFiredAt ? relativeTime(item.lastFiredAt) : 'Never'}</td>
    </LinkRow>
  )
}
