// Direct database pokes for tests: what a crash leaves behind, or state another component would write.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import type { TestEngine } from '../helpers'

const open = (t: TestEngine) => new Database(join(t.dataDir, 'switchboard.db'))

export function count(t: TestEngine, table: string): { n: number } {
  const db = open(t)
  try {
    return db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }
  } finally {
    db.close()
  }
}

export function suppress(t: TestEngine, email: string, reason: string): void {
  const db = open(t)
  db.prepare('INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, ?, ?, 0)').run(email, reason)
  db.close()
}

/** What SIGKILL mid-send leaves: the row claimed by a process that no longer exists. */
export function leaveSending(t: TestEngine, id: number, now: number): void {
  const db = open(t)
  db.prepare("UPDATE outbound_messages SET status = 'sending', attempts = 1, lease_owner = 'dead-process', lease_until = ? WHERE id = ?").run(now + 300_000, id)
  db.close()
}
