// The template library (issue 18): saved templates per business with their current version, what is still
// waiting in the outbox from each, and the bulk send that mails one of them to many contacts.
import { useState, type JSX } from 'react'
import type { TemplateSummary } from '../../../../shared/templates'
import { Icon } from '../../components/Icons'
import { LinkRow } from '../../components/Table'
import { ListPage } from '../../components/ListPage'
import { formatCount, plural, relativeTime } from '../../lib/format'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { objectName, useApp } from '../../store'
import { BulkSendDialog } from './BulkSendDialog'
import '../../styles/templates.css'

export function TemplatesScreen(): JSX.Element {
  const list = useQuery('templates.list', {}, { events: ['templates.changed', 'outbox.changed'], delayMs: 400 })
  const [bulk, setBulk] = useState<number | null | false>(false)
  const items = list.data
  const create = () => navigate({ name: 'templates', id: 'new' })
  return (
    <ListPage
      title="Templates"
      subtitle={items?.length ? `${plural(items.length, 'template')} · edits make a new version; mail already queued keeps its words` : 'Saved messages to insert in compose or send to many contacts at once'}
      list={list}
      newLabel="New template"
      onNew={create}
      actions={
        !!items?.length && (
          <button type="button" className="btn" onClick={() => setBulk(null)}>
            <Icon name="send" /> Bulk send
          </button>
        )
      }
      empty={{
        icon: 'braces',
        title: 'No templates yet',
        text: 'Write a message once — a welcome, a price list, an appointment reminder — with variables like the contact’s first name, then insert it in compose or send it to a tag or segment.',
      }}
      columns={['Template', 'Business', 'Variables', { label: 'Version', num: true }, { label: 'Waiting', num: true }, { label: 'Edited', className: 'tpl-col-edited' }, { label: '', className: 'col-actions' }]}
      row={(t) => <Row key={t.id} item={t} onSend={() => setBulk(t.id)} />}
      after={bulk !== false && <BulkSendDialog templateId={bulk ?? undefined} onClose={() => setBulk(false)} />}
    />
  )
}

function Row({ item, onSend }: { item: TemplateSummary; onSend: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects)
  return (
    <LinkRow to={{ name: 'templates', id: item.id }} title={item.name} sub={item.subject} subClassName="tpl-subject">
      <td className="muted-cell">{objectName(objects, item.objectId)}</td>
      <td className="muted-cell">
        {item.variables.length ? (
          <span className="tpl-vars">
            {item.variables.map((v) => (
              <code key={v} className="tpl-var">
                {v}
              </code>
            ))}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td className="num">v{item.currentVersion}</td>
      <td className="num">{item.pending ? formatCount(item.pending) : '—'}</td>
      <td className="muted-cell tpl-col-edited">{relativeTime(item.updatedAt)}</td>
      <td className="col-actions" onClick={(e) => e.stopPropagation()}>
        <button type="button" className="btn btn-sm" onClick={onSend} aria-label={`Bulk send ${item.name}`}>
          <Icon name="send" size={14} /> Send
        </button>
      </td>
    </LinkRow>
  )
}
