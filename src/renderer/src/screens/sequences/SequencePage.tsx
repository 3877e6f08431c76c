// One sequence: where its contacts stand (stat strip and the per-contact table), enrolment, pause and
// resume, and its settings. #/sequences/new shows the empty form instead.
import { useState, type JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { useConfirm } from '../../components/ConfirmDialog'
import { deleteAutomation } from '../automation/deleteAutomation'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { BackLink, PageHeader } from '../../components/PageHeader'
import { CONTACT_STATUS, CONTACT_STATUSES, windowText } from '../../lib/automation'
import { formatCount, plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastError, toastOk, useApp } from '../../store'
import { LoadError } from '../automation/LoadState'
import { EnrollDialog } from './EnrollDialog'
import { SequenceContactsTable } from './SequenceContactsTable'
import { SequenceForm } from './SequenceForm'
import { enrolledOf } from './sequenceDraft'

export function SequencePage({ id }: { id: number | 'new' }): JSX.Element {
  if (id === 'new')
    return (
      <div className="page editor-page">
        <BackLink to={{ name: 'sequences' }}>Sequences</BackLink>
        <SequenceForm saved={null} heading={{ title: 'New sequence', subtitle: 'Write the steps, pick the mailboxes, then enrol contacts' }} />
      </div>
    )
  return <Existing id={id} />
}

/** The stat strip: every contact status but unsubscribed (rare, and shown in the table's filter). */
const STRIP = CONTACT_STATUSES.filter((k) => k !== 'unsubscribed')

function Existing({ id }: { id: number }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const seq = useQuery('sequences.get', { id }, { events: ['automation.changed'], delayMs: 300, keepPrevious: false })
  const [tab, setTab] = useState<'contacts' | 'settings'>('contacts')
  const [enrolling, setEnrolling] = useState(false)
  const deleting = useConfirm((s: Sequence) => deleteAutomation('sequences', s, `stops for all ${plural(enrolledOf(s), 'contact')}. Messages already queued stay in the outbox.`))
  const s = seq.data
  const [busy, setBusy] = useState(false)

  if (seq.error && !s) {
    const gone = seq.errorCode === 'NOT_FOUND'
    return (
      <div className="page">
        {gone ? (
          <EmptyState icon="steps" title="This sequence no longer exists" actions={<a className="btn" href={hrefFor({ name: 'sequences' })}>Back to sequences</a>}>
            It may have been deleted.
          </EmptyState>
        ) : (
          <LoadError message={seq.error} onRetry={seq.reload} />
        )}
      </div>
    )
  }
  if (!s) return <div className="page page-loading" aria-busy="true" />

  const enrolled = enrolledOf(s)
  const toggle = async () => {
    setBusy(true)
    try {
      await rpc(s.status === 'active' ? 'sequences.pause' : 'sequences.resume', { id: s.id })
      toastOk(s.status === 'active' ? 'Sequence paused. Nothing more is sent until you resume it.' : 'Sequence resumed')
      seq.reload()
    } catch (err) {
      toastError(err)
    }
    setBusy(false)
  }

  return (
    <div className="page editor-page">
      <BackLink to={{ name: 'sequences' }}>Sequences</BackLink>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            <span className={`badge ${s.status === 'active' ? 'badge-green' : 'badge-amber'}`}>{s.status === 'active' ? 'Running' : 'Paused'}</span>
            {objectName(objects, s.objectId)} · {plural(s.steps.length, 'step')} · {plural(s.mailboxIds.length, 'mailbox', 'mailboxes')} · {windowText(s.window)}
          </>
        }
        actions={
          <>
            <button type="button" className="btn btn-danger-outline" onClick={() => deleting.ask(s)} aria-label="Delete sequence">
              <Icon name="trash" />
            </button>
            <button type="button" className="btn" onClick={() => void toggle()} disabled={busy}>
              <Icon name={s.status === 'active' ? 'pause' : 'play'} /> {s.status === 'active' ? 'Pause sequence' : 'Resume sequence'}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setEnrolling(true)}>
              <Icon name="plus" /> Enrol contacts
            </button>
          </>
        }
      />
      <div className="stat-strip" aria-label="Contacts by status">
        <div className="seq-stat">
          <span className="seq-stat-value">{formatCount(enrolled)}</span>
          <span className="seq-stat-label">Enrolled</span>
        </div>
        {STRIP.map((key) => (
          <div key={key} className={`seq-stat tone-${CONTACT_STATUS[key].tone}`}>
            <span className="seq-stat-value">{formatCount(s.counts[key] ?? 0)}</span>
            <span className="seq-stat-label">{CONTACT_STATUS[key].label}</span>
          </div>
        ))}
      </div>
      <div className="tabs" role="tablist" aria-label="Sequence">
        <button type="button" role="tab" aria-selected={tab === 'contacts'} className="tab" onClick={() => setTab('contacts')}>
          Contacts <span className="count-pill">{formatCount(enrolled)}</span>
        </button>
        <button type="button" role="tab" aria-selected={tab === 'settings'} className="tab" onClick={() => setTab('settings')}>
          Steps &amp; sending
        </button>
      </div>
      {tab === 'contacts' ? (
        <SequenceContactsTable sequence={s} onEnroll={() => setEnrolling(true)} />
      ) : (
        <SequenceForm key={s.id} saved={s} onSaved={() => seq.reload()} />
      )}
      {enrolling && <EnrollDialog sequence={s} onClose={() => setEnrolling(false)} onDone={() => seq.reload()} />}
      {deleting.dialog}
    </div>
  )
}

