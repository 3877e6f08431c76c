// The outbox: messages grouped by where they stand, in the order they need attention (what is leaving,
// what waits, what is stuck, what failed), with the finished ones folded into "Recent".
import { useState, type JSX } from 'react'
import type { OutboundMessage } from '../../../../shared/outbound'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { BulkJobs } from '../templates/BulkJobs'
import { formatCount } from '../../lib/format'
import { GROUPS, isScheduled, PENDING, pendingCount, type Group, type MailboxSignIn } from '../../lib/outbox'
import { OutboxDetailPanel } from './OutboxDetail'
import { OutboxRow } from './OutboxRow'
import { useNow, useOutboxList } from './useOutbox'
import { useStoppedMailboxes } from './signInWarning'
import { ComposeButton } from '../compose/ComposeButton'

const GROUP_HELP: Record<string, string> = {
  sending: 'Handing over to the mail server right now.',
  queued: 'Waiting for their turn, their scheduled time, or the end of the undo window.',
  retrying: 'A temporary error; Switchboard tries again on its own.',
  held: 'Paused until the problem below is fixed. Nothing is lost.',
  failed: 'These will not be sent unless you retry them.',
}

export function OutboxScreen({ selectedId }: { selectedId?: number }): JSX.Element {
  const { items, counts, done } = useOutboxList()
  const now = useNow()
  const stopped = useStoppedMailboxes()
  const pending = pendingCount(counts)
  const failed = counts.failed ?? 0
  // `done` is the sent history; skipped, cancelled and bounced rows are finished too.
  const finished = Object.entries(counts).reduce((n, [s, c]) => (['queued', 'sending', 'retry_wait', 'held', 'failed'].includes(s) ? n : n + c), done)
  const summary = [`${formatCount(pending)} waiting`, failed ? `${formatCount(failed)} failed` : null, `${formatCount(finished)} done`].filter(Boolean).join(' · ')

  return (
    <div className="page outbox-page">
      <PageHeader
        title="Outbox"
        subtitle={items ? summary : 'Loading…'}
      />
      {items && items.length === 0 ? (
        <div className="card">
          <EmptyState
            icon="outbox"
            title="Nothing in the outbox"
            actions={<ComposeButton />}
          >
            Messages you send wait here until the server takes them, and stay for a while after, so you can see how each one went.
          </EmptyState>
        </div>
      ) : (
        <div className={`outbox-layout${selectedId ? ' has-detail' : ''}`}>
          <div className="outbox-groups">
            <BulkJobs />
            {items &&
              GROUPS.map((g) => {
                const rows = items.filter((m) => g.statuses.includes(m.status))
                // The engine pages finished rows newest first by creation; here they read by when they last moved.
                if (!g.statuses.some((st) => PENDING.includes(st))) rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
                return rows.length ? <GroupCard key={g.key} group={g} rows={rows} selectedId={selectedId} now={now} stopped={stopped} /> : null
              })}
          </div>
          {selectedId && <OutboxDetailPanel key={selectedId} id={selectedId} now={now} stopped={stopped} />}
        </div>
      )}
    </div>
  )
}

function GroupCard({ group, rows, selectedId, now, stopped }: { group: Group; rows: OutboundMessage[]; selectedId?: number; now: number; stopped: Map<number, MailboxSignIn> }): JSX.Element {
  // Recent starts folded, unless the selected message is in it.
  const [open, setOpen] = useState(!group.collapsible || rows.some((r) => r.id === selectedId))
  const scheduled = group.key === 'queued' ? rows.filter((r) => isScheduled(r)).length : 0
  const headId = `group-${group.key}`
  const title = (
    <>
      <h3 id={headId}>{group.title}</h3>
      <span className="count-pill">{formatCount(rows.length)}</span>
      {scheduled > 0 && <span className="group-note">{formatCount(scheduled)} scheduled</span>}
    </>
  )
  return (
    <section className={`card outbox-group group-${group.key}`} aria-labelledby={headId}>
      {group.collapsible ? (
        <button type="button" className="outbox-group-head is-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
          {title}
          <span className="group-help">Sent, delivered, bounced, skipped and cancelled</span>
        </button>
      ) : (
        <div className="outbox-group-head">
          {title}
          <span className="group-help">{GROUP_HELP[group.key]}</span>
        </div>
      )}
      {open && (
        <ul className="item-list" aria-label={group.title}>
          {rows.map((m) => (
            <OutboxRow key={m.id} message={m} selected={m.id === selectedId} now={now} stopped={stopped} />
          ))}
        </ul>
      )}
    </section>
  )
}
