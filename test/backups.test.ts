// Issue 14, data safety: the daily online backup (on the engine's clock, caught up after a closed app),
// its 7-daily / 4-weekly thinning, backups.create / backups.list, and restoring one (the CLI's --restore).
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toPrune } from '../src/main/engine/backups/retention'
import { backupName, parseBackupName, type BackupFile } from '../src/main/engine/backups/files'
import { DAY_MS, FIRST_BACKUP_AFTER_MS } from '../src/main/engine/backups/runner'
import { restoreBackup } from '../src/main/engine/workspace/restore'
import { freshEngine, type TestEngine } from './helpers'

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0) // a Monday

async function settled(t: TestEngine, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await t.engine.backups.idle()
    if ((await t.ok('backups.list', {})).backups.length >= n && !t.engine.backups.running()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`expected ${n} backups`)
}

describe('backup names and thinning', () => {
  it('round-trips the time and kind in a file name', () => {
    const at = Date.UTC(2026, 11, 3, 7, 15, 30, 123)
    expect(backupName(at, 'auto')).toBe('switchboard-20261203T071530123Z-auto.db')
    expect(parseBackupName(backupName(at, 'manual'))).toEqual({ at, kind: 'manual' })
    expect(parseBackupName('switchboard.db')).toBeNull()
  })

  it('keeps the newest of each of 7 days and of 4 weeks before them, and 5 manual ones', () => {
    const files: BackupFile[] = []
    // Two automatic backups a day for 60 days, and 8 manual ones.
    for (let d = 0; d < 60; d++) for (const h of [1, 13]) files.push(file(T0 - d * DAY_MS + h * 3_600_000, 'auto'))
    for (let i = 0; i < 8; i++) files.push(file(T0 - i * 3_600_000, 'manual'))
    const pruned = new Set(toPrune(files))
    const kept = files.filter((f) => !pruned.has(f))
    const autos = kept.filter((f) => f.kind === 'auto').sort((a, b) => b.at - a.at)
    expect(autos).toHaveLength(11)
    // The 7 daily: the 13:00 copy of the newest 7 days.
    expect(autos.slice(0, 7).map((f) => f.at)).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => T0 - d * DAY_MS + 13 * 3_600_000))
    // Then one per older week, each in a different week.
    const weeks = autos.slice(7).map((f) => Math.floor((Math.floor(f.at / DAY_MS) + 3) / 7))
    expect(new Set(weeks).size).toBe(4)
    expect(kept.filter((f) => f.kind === 'manual')).toHaveLength(5)
    expect(toPrune(kept)).toEqual([])
  })
})

function file(at: number, kind: 'auto' | 'manual'): BackupFile {
  const name = backupName(at, kind)
  return { name, path: `/x/${name}`, at, kind, sizeBytes: 1 }
}

describe('backups', () => {
  it('backs up daily on the engine clock, thins to 7 daily + 4 weekly, and catches up after the app was closed', async () => {
    const t = freshEngine({ start: T0 })
    await t.ok('contacts.create', { email: 'first@x.co' })
    expect((await t.ok('backups.list', {})).backups).toHaveLength(0)
    // A new workspace gets its first backup ten minutes in, then one a day.
    await t.ok('clock.advance', { ms: FIRST_BACKUP_AFTER_MS })
    await settled(t, 1)
    for (let d = 1; d <= 40; d++) {
      await t.ok('clock.advance', { ms: DAY_MS })
      await settled(t, Math.min(d + 1, 7))
    }
    const list = (await t.ok('backups.list', {})).backups
    expect(list.every((b) => b.kind === 'auto')).toBe(true)
    expect(list.length).toBeLessThanOrEqual(11)
    expect(list.length).toBeGreaterThanOrEqual(10)
    const events = t.events.filter((e) => e.event === 'backups.changed').length
    expect(events).toBeGreaterThanOrEqual(41)
    // Files are private and nothing half-written is left over.
    const dir = (await t.ok('backups.list', {})).folder
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    for (const f of readdirSync(dir)) {
      expect(f).toMatch(/-auto\.db$/)
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
    }

    // Closed for three days: the backup is due at once when it opens again, and only one is made.
    const now = t.clock.now()
    await t.engine.close()
    const again = freshEngine({ dataDir: t.dataDir, start: now + 3 * DAY_MS })
    const before = (await again.ok('backups.list', {})).backups.length
    await again.engine.backups.idle()
    await settled(again, 1)
    const after = (await again.ok('backups.list', {})).backups
    expect(after[0]!.createdAt).toBe(new Date(now + 3 * DAY_MS).toISOString())
    expect(after.length).toBeLessThanOrEqual(before + 1)
  })

  it('tidies a temp file a killed backup left behind when it starts', async () => {
    const first = freshEngine({ start: T0 })
    await first.engine.close()
    const { mkdirSync, writeFileSync } = await import('node:fs')
    mkdirSync(join(first.dataDir, 'backups'), { recursive: true })
    writeFileSync(join(first.dataDir, 'backups', '.switchboard-20260105T090000000Z-auto.db.partial'), 'half a copy')
    const again = freshEngine({ dataDir: first.dataDir, start: T0 })
    expect(readdirSync(join(again.dataDir, 'backups'))).toEqual([])
  })

  it('backs up now on request, without holding up other writes, and the copy opens and holds the data', async () => {
    const t = freshEngine({ start: T0 })
    for (let i = 0; i < 50; i++) await t.ok('contacts.create', { email: `c${i}@x.co` })
    const started = await t.ok('backups.create', {})
    expect(started.running).toBe(true)
    // Writes go on while the copy runs.
    await t.ok('contacts.create', { email: 'during@x.co' })
    await settled(t, 1)
    const [b] = (await t.ok('backups.list', {})).backups
    expect(b).toMatchObject({ kind: 'manual', createdAt: new Date(T0).toISOString() })
    expect(b!.sizeBytes).toBeGreaterThan(0)
    const copy = new Database(join(t.dataDir, 'backups', b!.id), { readonly: true })
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
    expect((copy.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n).toBeGreaterThanOrEqual(50)
    copy.close()
    // A second one on a clock that stands still does not overwrite the first.
    await t.ok('backups.create', {})
    await settled(t, 2)
    expect(new Set((await t.ok('backups.list', {})).backups.map((x) => x.id)).size).toBe(2)
  })

  it('copies a database larger than one step while the engine keeps writing, into a sound and complete file', async () => {
    const t = freshEngine({ start: T0 })
    // 24 MB in a scratch table from a second connection: three steps of the copy.
    const side = new Database(join(t.dataDir, 'switchboard.db'))
    side.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)')
    const put = side.prepare('INSERT INTO filler (data) VALUES (?)')
    side.transaction(() => {
      for (let i = 0; i < 96; i++) put.run(Buffer.alloc(256 * 1024, i))
    })()
    side.close()
    await t.ok('backups.create', {})
    let writes = 0
    while (t.engine.backups.running()) {
      await t.ok('contacts.create', { email: `during${writes++}@x.co` })
      await new Promise((r) => setImmediate(r)) // let the thread's answer in
    }
    expect(writes).toBeGreaterThan(0)
    await settled(t, 1)
    expect((await t.ok('backups.list', {})).lastError).toBeNull()
    const [b] = (await t.ok('backups.list', {})).backups
    const copy = new Database(join(t.dataDir, 'backups', b!.id), { readonly: true })
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok')
    expect(copy.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 96 })
    copy.close()
  })

  it('refuses a restore it cannot carry out, and names that are not backups', async () => {
    const t = freshEngine({ start: T0 })
    expect(await t.err('backups.restore', { id: '../switchboard.db' })).toMatchObject({ code: 'VALIDATION', field: 'id' })
    expect(await t.err('backups.restore', { id: 'switchboard-20260105T090000Z-auto.db' })).toMatchObject({ code: 'UNAVAILABLE' })
    const host = freshEngine({ start: T0, restart: () => {} })
    expect(await host.err('backups.restore', { id: 'switchboard-20260105T090000Z-auto.db' })).toMatchObject({ code: 'NOT_FOUND' })
  })

  it('restores a backup: the workspace reopens on it, with the old database kept aside', async () => {
    const t = freshEngine({ start: T0 })
    await t.ok('contacts.create', { email: 'before@x.co' })
    await t.ok('backups.create', {})
    await settled(t, 1)
    await t.ok('contacts.create', { email: 'after@x.co' })
    const [b] = (await t.ok('backups.list', {})).backups
    // While the workspace is open a restore is refused.
    expect(() => restoreBackup(t.dataDir, join(t.dataDir, 'backups', b!.id))).toThrow('already open')
    await t.engine.close()
    const { keptAside } = restoreBackup(t.dataDir, join(t.dataDir, 'backups', b!.id))
    expect(keptAside && existsSync(keptAside)).toBe(true)
    const again = freshEngine({ dataDir: t.dataDir, start: T0 })
    const emails = (await again.ok('contacts.list', {})).items.map((c) => c.email)
    expect(emails).toEqual(['before@x.co'])
    // The database it replaced still holds the later contact.
    const old = new Database(keptAside!, { readonly: true })
    expect(old.prepare("SELECT count(*) AS n FROM contacts WHERE email = 'after@x.co'").get()).toEqual({ n: 1 })
    old.close()
  })

  it('`npm run serve -- --restore FILE` restores and starts on the backup; a bad file changes nothing', async () => {
    const t = freshEngine({ start: T0 })
    await t.ok('contacts.create', { email: 'kept@x.co' })
    await t.ok('backups.create', {})
    await settled(t, 1)
    const [b] = (await t.ok('backups.list', {})).backups
    await t.ok('contacts.create', { email: 'lost@x.co' })
    await t.engine.close()
    const bad = await serve(['--data-dir', t.dataDir, '--restore', join(t.dataDir, 'secret.key')], /not a sound database|not a Switchboard/)
    expect(bad.code).not.toBe(0)
    const good = await serve(['--data-dir', t.dataDir, '--restore', join(t.dataDir, 'backups', b!.id)], /Switchboard is running/)
    expect(good.out).toContain('Restored')
    const again = freshEngine({ dataDir: t.dataDir, start: T0 })
    expect((await again.ok('contacts.list', {})).items.map((c) => c.email)).toEqual(['kept@x.co'])
  }, 60_000)
})

/** Runs the real CLI until its output matches, then stops it. */
function serve(args: string[], until: RegExp): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--no-build', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  return new Promise((resolve) => {
    const on = (d: Buffer) => {
      out += String(d)
      if (until.test(out)) child.kill('SIGTERM')
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', on)
    child.once('exit', (code) => resolve({ code, out }))
  })
}
