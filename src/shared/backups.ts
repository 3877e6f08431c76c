// Data safety on the contract: backups of the workspace database, restoring one, and the notice shown
// when the database failed its integrity check at start-up. Also the unread count for the tray and badge.
import { z } from 'zod'

/** A backup's id is its file name in <dataDir>/backups; nothing else is accepted (no paths). */
export const BackupId = z
  .string()
  .regex(/^switchboard-\d{8}T\d{6}(\d{3})?Z-(auto|manual)\.db$/, 'Not the name of a Switchboard backup')

export const Backup = z.object({
  id: BackupId,
  createdAt: z.string(),
  sizeBytes: z.number(),
  /** auto: the daily backup (thinned to 7 daily and 4 weekly); manual: "Back up now" (newest 5 kept). */
  kind: z.enum(['auto', 'manual']),
})
export type Backup = z.infer<typeof Backup>

export const IntegrityNotice = z.object({
  detectedAt: z.string(),
  /** Where the damaged database was kept (never deleted by the app). */
  damagedFile: z.string(),
  detail: z.string(),
})
export type IntegrityNotice = z.infer<typeof IntegrityNotice>

export const BackupState = z.object({
  backups: z.array(Backup),
  folder: z.string(),
  running: z.boolean(),
  lastError: z.string().nullable(),
  nextDueAt: z.string(),
  /** Whether this host can restart into a backup (a plain engine in a test cannot). */
  canRestore: z.boolean(),
  /** Set when start-up found the database damaged and moved it aside. */
  notice: IntegrityNotice.nullable(),
})
export type BackupState = z.infer<typeof BackupState>

export const RestoreBackup = z.object({ id: BackupId }).strict()
export const RestoreStarted = z.object({ restarting: z.literal(true), id: BackupId })
export const Badge = z.object({ unreadThreads: z.number() })
