// Issue 23 (memory): while a parse thread lives it runs the WAL checkpoints itself, and the checkpoint thread
// (a whole isolate, ~10 MB, for one PRAGMA every 250 ms) stops. It starts again once no parse thread is left,
// and a parse thread killed over a hostile message stops counting the moment it is let go.
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BACKSTOP_PAGES, startCheckpointer, type CheckpointHost } from '../src/main/engine/db/checkpointer'
import { findMigrationsDir, openDatabase, type Sqlite } from '../src/main/engine/db/open'
import { createParsePool, type ParsePool } from '../src/main/engine/inbound/sync/pool'
import { waitFor } from './support/waitFor'

const size = (f: string) => statSync(f).size
const msg = (i: number) => ({ source: Buffer.from(`From: a${i}@x.test\r\nSubject: m${i}\r\n\r\nbody ${i}\r\n`), internalDate: i })

let pool: ParsePool | undefined
afterEach(async () => {
  await pool?.close()
  pool = undefined
})

function freshDb(): { file: string; sqlite: Sqlite } {
  const file = join(mkdtempSync(join(tmpdir(), 'sb-ckpt-handoff-')), 'x.db')
  const { sqlite } = openDatabase(file, findMigrationsDir())
  sqlite.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)')
  return { file, sqlite }
}

/** Commits 8 MB and waits until some thread has copied it into the database file (nothing here checkpoints). */
async function commitAndSeeCopied(sqlite: Sqlite, file: string, what: string): Promise<void> {
  const before = size(file)
  const ins = sqlite.prepare('INSERT INTO blobs (b) VALUES (randomblob(65536))')
  sqlite.transaction(() => {
    for (let i = 0; i < 128; i++) ins.run()
  })()
  // The commit did not checkpoint inline (the backstop is far above 8 MB).
  expect(size(file) - before).toBeLessThan(1 << 20)
  await waitFor(() => size(file) - before >= 8 << 20, { intervalMs: 50, message: what })
}

describe('WAL checkpoints handed to the parse threads', () => {
  it('run in a parse thread while it lives, in place of the checkpoint thread, which starts again when the pool is gone', async () => {
    const { file, sqlite } = freshDb()
    const ck = startCheckpointer(sqlite, { everyMs: 50, restartMs: 0 })
    expect(ck.ownThread()).toBe(true)
    pool = createParsePool({ size: 1, checkpoint: ck.host })
    pool.warm()
    await pool.ready()
    // The thread said it checkpoints: the checkpoint thread is stopped, and the main connection keeps its backstop.
    expect(ck.ownThread()).toBe(false)
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES)
    await commitAndSeeCopied(sqlite, file, 'the parse thread copied the pages')
    // And it still parses.
    expect((await pool.parse([msg(1)]))[0]!.subject).toBe('m1')

    await pool.close()
    pool = undefined
    await waitFor(() => ck.ownThread(), { message: 'the checkpoint thread started again' })
    await commitAndSeeCopied(sqlite, file, 'the checkpoint thread copied the pages again')
    await ck.close()
    expect(ck.ownThread()).toBe(false)
    expect((sqlite.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(256)
    sqlite.close()
  }, 60_000)

  it('a parse thread that crashes stops counting; its replacement counts; none is left after close', async () => {
    const { file, sqlite } = freshDb()
    const deltas: number[] = []
    let live = 0
    let lowest = 0
    const host: CheckpointHost = {
      file,
      everyMs: 50,
      changed: (d) => {
        deltas.push(d)
        live += d
        lowest = Math.min(lowest, live)
      },
      failed: () => {},
    }
    pool = createParsePool({ size: 1, maxMemoryMb: 24, checkpoint: host })
    // ~40 MB of base64 to decode: far beyond a 24 MB heap, so it kills the thread (and its single retry).
    const huge = Buffer.concat([
      Buffer.from('From: big@x.test\r\nSubject: huge\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
      Buffer.alloc(30 * 1024 * 1024, 'QUFB\r\n'),
      Buffer.from('\r\n--b--\r\n'),
    ])
    const out = await pool.parse([msg(1), { source: huge, internalDate: 2 }, msg(3)])
    expect(out.map((r) => r.subject)).toEqual(['m1', 'huge', 'm3'])
    expect(out[1]!.parseError).toMatch(/gave up/)
    await pool.ready()
    // Two threads died (the batch's, then the huge message's alone); each let go of its count.
    expect(deltas.filter((d) => d === -1).length).toBeGreaterThanOrEqual(2)
    expect(lowest).toBe(0)
    expect(live).toBe(1)
    // The replacement checkpoints.
    await commitAndSeeCopied(sqlite, file, 'the replacement thread copied the pages')
    await pool.close()
    pool = undefined
    expect(live).toBe(0)
    sqlite.close()
  }, 120_000)
})
