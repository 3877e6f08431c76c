// What happened when start-up found the database damaged: the damaged file was kept aside, a new empty
// workspace opened, and the newest backup is offered. Shown on the Data & backups screen, and at the top
// of the app (or above the first-run wizard, which a new empty workspace would otherwise show silently).
import type { JSX } from 'react'
import type { Backup, BackupState } from '../../../../shared/backups'
import { Icon } from '../../components/Icons'
import { formatDate } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastError } from '../../store'
import { restoreRequest } from './RestoreDialog'
import { useConfirm } from '../../components/ConfirmDialog'
import { useBackups, useRestart } from './useBackups'

export function RecoveryNotice({ state, onChanged }: { state: BackupState; onChanged?: () => void }): JSX.Element | null {
  const restart = useRestart()
  const restoring = useConfirm((b: Backup) => restoreRequest(b, () => restart.restore(b.id)))
  const notice = state.notice
  if (!notice) return null
  const newest = state.backups[0]
  return (
    <section className="recovery-notice" role="alert" aria-labelledby="recovery-title">
      <span className="recovery-icon" aria-hidden="true">
        <Icon name="alert" />
      </span>
      <div className="recovery-body">
        <h2 id="recovery-title">Your workspace’s database was damaged</h2>
        <p>
          When Switchboard started on {formatDate(notice.detectedAt)}, its database failed the integrity check. The damaged file was not deleted: it is kept at{' '}
          <code className="recovery-path">{notice.damagedFile}</code>. Switchboard opened a new, empty workspace in its place.
        </p>
        <p>
          {newest
            ? `The newest backup is from ${formatDate(newest.createdAt)}. Restoring it brings back everything up to then.`
            : 'There is no backup to restore. Keep the damaged file: a specialist may be able to recover it.'}
        </p>
        {restart.state.phase === 'restarting' && <p className="recovery-restarting">Restarting on the backup…</p>}
        <div className="recovery-actions">
          {newest && state.canRestore && (
            <button type="button" className="btn btn-primary" onClick={() => restoring.ask(newest)} disabled={restart.state.phase === 'restarting'}>
              Restore newest backup…
            </button>
          )}
          <button type="button" className="btn" onClick={() => void rpc('backups.dismissNotice', {}).then(() => onChanged?.(), toastError)}>
            {newest ? 'Keep the new workspace' : 'Dismiss'}
          </button>
        </div>
      </div>
      {restoring.dialog}
    </section>
  )
}

/** The notice on its own, for the app shell and the first-run wizard: loads the state itself. */
export function RecoveryBanner(): JSX.Element | null {
  const { data, reload } = useBackups()
  if (!data?.notice) return null
  return (
    <div className="recovery-banner-wrap">
      <RecoveryNotice state={data} onChanged={reload} />
    </div>
  )
}
