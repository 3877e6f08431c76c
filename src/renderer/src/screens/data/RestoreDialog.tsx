// "Restore…": says plainly what happens before anything does.
import type { Backup } from '../../../../shared/backups'
import type { ConfirmRequest } from '../../components/ConfirmDialog'
import { formatDate, relativeTime } from '../../lib/format'

export function restoreRequest(backup: Backup, onConfirm: () => Promise<void>): ConfirmRequest {
  return {
    title: 'Restore this backup?',
    confirmLabel: 'Restore and restart',
    onConfirm,
    message: (
        <div className="restore-explain">
          <p>
            Switchboard will restart on the backup from <strong>{formatDate(backup.createdAt)}</strong> ({relativeTime(backup.createdAt)}).
          </p>
          <ul>
            <li>Contacts, mail, drafts and settings go back to how they were then. Anything changed since is not in the restored workspace.</li>
            <li>Your current database is not deleted: it is kept beside it in the data folder (switchboard.db.before-restore-…).</li>
            <li>Scheduled messages go out from the restored outbox; mail is synced again from your mailboxes.</li>
          </ul>
        </div>
    ),
  }
}
