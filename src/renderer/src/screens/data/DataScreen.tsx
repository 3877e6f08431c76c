// Data & backups: where the workspace lives, its backups (time, size, kind), "Back up now", and
// "Restore…" with a confirmation that says what happens. The damaged-database notice shows here too.
import { useState, type JSX } from 'react'
import type { Backup } from '../../../../shared/backups'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { formatDate, relativeTime } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import '../../styles/data.css'
import { RecoveryNotice } from './RecoveryNotice'
import { restoreRequest } from './RestoreDialog'
import { useConfirm } from '../../components/ConfirmDialog'
import { AuditLog } from './AuditLog'
import { formatBytes, useBackups, useRestart } from './useBackups'

const KIND = { auto: 'Daily backup', manual: 'Backed up by hand' } as const

export function DataScreen(): JSX.Element {
  const { data, error, reload } = useBackups()
  const dataDir = useApp((s) => s.info?.dataDir)
  const [starting, setStarting] = useState(false)
  const restart = useRestart()
  const restoring = useConfirm((b: Backup) => restoreRequest(b, () => restart.restore(b.id)))

  const backUpNow = async () => {
    setStarting(true)
    try {
      await rpc('backups.create', {})
      reload()
    } catch (err) {
      toastError(err)
    } finally {
      setStarting(false)
    }
  }
  const running = starting || Boolean(data?.running)

  if (restart.state.phase === 'restarting')
    return (
      <div className="page">
        <div className="card data-restarting" role="status" aria-live="polite">
          <span className="data-spinner" aria-hidden="true" />
          <div>
            <h2>Restarting on the backup…</h2>
            <p className="muted">Switchboard is closing the workspace, putting the backup in place and opening it again. This page reloads by itself.</p>
          </div>
        </div>
      </div>
    )

  return (
    <div className="page data-page">
      <PageHeader
        title={<>Data &amp; backups</>}
        subtitle="Everything lives in one file on this computer. Switchboard backs it up every day, while you work."
        actions={
          <>
            <button type="button" className="btn btn-primary" onClick={() => void backUpNow()} disabled={running || !data}>
              <Icon name={running ? 'clock' : 'download'} /> {running ? 'Backing up…' : 'Back up now'}
            </button>
          </>
        }
      />

      {data?.notice && <RecoveryNotice state={data} onChanged={reload} />}
      {error && <p className="data-error">{error}</p>}
      {data?.lastError && (
        <p className="data-error" role="alert">
          The last backup failed: {data.lastError}
        </p>
      )}

      <section className="card data-card" aria-labelledby="backups-title">
        <div className="data-card-head">
          <h2 id="backups-title">Backups</h2>
          {data && <span className="muted">{data.backups.length === 1 ? '1 backup' : `${data.backups.length} backups`}</span>}
        </div>
        {data && data.backups.length === 0 && (
          <EmptyState icon="cloudCheck" title={running ? 'The first backup is being made' : 'No backups yet'}>
            The first daily backup is due {formatDate(data.nextDueAt)}. You can make one now at any time.
          </EmptyState>
        )}
        {data && data.backups.length > 0 && (
          <ul className="item-list data-list" aria-label="Backups">
            {data.backups.map((b, i) => (
              <li key={b.id} className="item-row data-row">
                <span className={`item-icon${i === 0 ? '' : ' item-icon-muted'}`}>
                  <Icon name={b.kind === 'auto' ? 'calendar' : 'download'} />
                </span>
                <div className="item-main">
                  <span className="item-title">
                    <time dateTime={b.createdAt}>{formatDate(b.createdAt)}</time>
                    {i === 0 && <span className="data-latest">Latest</span>}
                  </span>
                  <span className="item-sub">
                    {KIND[b.kind]} · {relativeTime(b.createdAt)}
                  </span>
                </div>
                <span className="data-size">{formatBytes(b.sizeBytes)}</span>
                <button
                  type="button"
                  className="btn btn-sm"
                  onClick={() => restoring.ask(b)}
                  disabled={!data.canRestore}
                  title={data.canRestore ? undefined : 'This copy of Switchboard cannot restart itself: run it with --restore FILE'}
                  aria-label={`Restore the backup from ${formatDate(b.createdAt)}`}
                >
                  Restore…
                </button>
              </li>
            ))}
          </ul>
        )}
        {data && (
          <footer className="data-foot">
            <p>
              Next daily backup: <strong>{formatDate(data.nextDueAt)}</strong>. Switchboard keeps one backup for each of the last 7 days, one for each of the 4 weeks before, and your 5 newest backups made by hand.
            </p>
            <p className="muted">
              Backups are kept in <code>{data.folder}</code>
              {dataDir ? (
                <>
                  , next to the workspace in <code>{dataDir}</code>
                </>
              ) : null}
              . Copy them to another disk to be safe from a lost or broken computer.
            </p>
          </footer>
        )}
      </section>
      <AuditLog />
      {restoring.dialog}
    </div>
  )
}
