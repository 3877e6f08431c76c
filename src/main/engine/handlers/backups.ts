// backups.*: the boundary over services/backups.ts.
import type { HandlersFor } from '../context'
import { backupState, dismissNotice, restoreBackup, startBackup } from '../services/backups'

export const backupHandlers: HandlersFor<'backups'> = {
  'backups.list': (ctx) => backupState(ctx),
  'backups.create': (ctx) => startBackup(ctx),
  'backups.restore': (ctx, { id }) => restoreBackup(ctx, id),
  'backups.dismissNotice': (ctx) => dismissNotice(ctx),
}
