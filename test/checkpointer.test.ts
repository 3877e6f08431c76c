// The WAL is copied back into the database by the checkpoint thread, not inside the engine's commits.
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from './support/waitFor'
import { describe, expect, it } from 'vitest'
import { BACKSTOP_PAGES, startCheckpointer } from '../src/main/engine/db/checkpointer'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'

const size = (f: string) => statSync(f).size

describe('background WAL checkpoints', () => {
  it('copy committed pages into the database file from their own thread, and the commit itself does not', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-ckpt-')), 'x.db')
    const { sqlite } = openDatabase(file, findMigrationsDir())
    const checkpointer = startCheckpointer(sqlite, { everyMs: 50 })
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES)
    sqlite.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)')
    sqlite.pragma('wal_checkpoint(TRUNCATE)')
    const before = size(file)
    // 8 MB committed: past SQLite's default automatic limit (1,000 pages), below the backstop.
    const ins = sqlite.prepare('INSERT INTO blobs (b) VALUES (randomblob(65536))')
    sqlite.transaction(() => {
      for (let i = 0; i < 128; i++) ins.run()
    })()
    // Right after the commit the pages are only in the WAL: this thread did not checkpoint them.
    expect(size(file) - before).toBeLessThan(1 << 20)
    expect(size(`${file}-wal`)).toBeGreaterThan(8 << 20)
    // The checkpoint thread copies them over within a few of its turns.
    await waitFor(() => size(file) - before >= 8 << 20, { intervalMs: 50, message: 'the checkpoint thread copied the pages' })
    await checkpointer.close()
    expect((sqlite.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(128)
    sqlite.close()
  })
})
