// The checkpoint loop a parse thread runs beside its parsing (see checkpointer.ts, CheckpointHost): the same
// PASSIVE checkpoint on a timer as the checkpoint thread's, on a connection of the parse thread's own.
import Database from 'better-sqlite3'

export interface CheckpointJob {
  file: string
  everyMs: number
}

/** Opens the connection and starts the timer for the thread's life; throws if the database cannot be opened. */
export function startCheckpointLoop(job: CheckpointJob, onError: (message: string) => void): void {
  const db = new Database(job.file, { fileMustExist: true })
  db.pragma('busy_timeout = 1000')
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  setInterval(() => {
    try {
      checkpoint.get()
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err))
    }
  }, job.everyMs)
}
