// Issue 14, items 3 and 4 and data safety: a private data dir, one engine per workspace, the integrity
// check at start-up. Real SQLite files in temp dirs; the second web host is the real CLI.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../src/main/engine'
import { saveAttachment } from '../src/main/engine/inbound/attachmentFiles'
import { acquireWorkspaceLock, LOCK_FILE, WorkspaceLockedError } from '../src/main/engine/workspace/lock'
import { freshEngine } from './helpers'

const mode = (p: string) => statSync(p).mode & 0o777
const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix))

describe('data dir permissions', () => {
  it('makes a new workspace 0700 with 0600 files, the WAL, SHM, key and attachments included', async () => {
    const parent = tmp('sb-perm-')
    const dataDir = join(parent, 'ws')
    const t = freshEngine({ dataDir })
    await t.ok('contacts.create', { email: 'a@b.co' })
    saveAttachment(dataDir, Buffer.from('hello'))
    expect(mode(dataDir)).toBe(0o700)
    for (const f of ['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm', 'secret.key', LOCK_FILE]) {
      expect(existsSync(join(dataDir, f)), f).toBe(true)
      expect(mode(join(dataDir, f)), f).toBe(0o600)
    }
    const sub = readdirSync(join(dataDir, 'attachments'))[0]!
    expect(mode(join(dataDir, 'attachments', sub))).toBe(0o700)
    expect(mode(join(dataDir, 'attachments', sub, readdirSync(join(dataDir, 'attachments', sub))[0]!))).toBe(0o600)
  })

  it('fixes an existing 0755 / 0644 workspace when it opens', async () => {
    const dataDir = tmp('sb-perm-old-')
    const first = createEngine({ host: 'web', dataDir, log: () => {}, backups: { run: false } })
    await first.dispatch('contacts.create', { email: 'old@b.co' })
    await first.close()
    // What the app left behind before this fix: everything readable by everyone.
    const hash = saveAttachment(dataDir, Buffer.from('private pdf'))
    const att = join(dataDir, 'attachments', hash.slice(0, 2), hash)
    for (const d of [dataDir, join(dataDir, 'attachments'), join(dataDir, 'attachments', hash.slice(0, 2))]) chmodSync(d, 0o755)
    for (const f of ['switchboard.db', 'secret.key']) chmodSync(join(dataDir, f), 0o644)
    chmodSync(att, 0o644)
    // A file of the user's own in the folder is none of Switchboard's business.
    writeFileSync(join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 })
    chmodSync(join(dataDir, 'notes.txt'), 0o644)
    const again = freshEngine({ dataDir })
    expect(mode(join(dataDir, 'notes.txt'))).toBe(0o644)
    expect(mode(dataDir)).toBe(0o700)
    expect(mode(join(dataDir, 'switchboard.db'))).toBe(0o600)
    expect(mode(join(dataDir, 'switchboard.db-wal'))).toBe(0o600)
    expect(mode(join(dataDir, 'secret.key'))).toBe(0o600)
    expect(mode(join(dataDir, 'attachments'))).toBe(0o700)
    expect(mode(att)).toBe(0o600)
    expect((await again.ok('contacts.list', {})).total).toBe(1)
  })
})

describe('workspace lock', () => {
  it('refuses a second engine on the same data dir and names the owner', async () => {
    const t = freshEngine()
    expect(() => createEngine({ host: 'web', dataDir: t.dataDir, log: () => {} })).toThrow(`This workspace is already open in Switchboard (pid ${process.pid})`)
    // The first engine is unharmed.
    expect((await t.ok('contacts.create', { email: 'still@works.co' })).email).toBe('still@works.co')
  })

  it('gives the lock back on close, so the workspace opens again', async () => {
    const dataDir = tmp('sb-lock-')
    const a = createEngine({ host: 'web', dataDir, log: () => {}, backups: { run: false } })
    await a.close()
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    const b = freshEngine({ dataDir })
    expect((await b.ok('app.info', {})).dataDir).toBe(dataDir)
  })

  it('takes over a stale lock whose process is gone (a crash), but not a live one', async () => {
    const dataDir = tmp('sb-lock-stale-')
    // A real process that has exited: its PID is dead.
    const dead = spawn(process.execPath, ['-e', '0'])
    const pid = await new Promise<number>((r) => dead.once('exit', () => r(dead.pid!)))
    const { hostname } = await import('node:os')
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' }))
    const lock = acquireWorkspaceLock(dataDir)
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid)
    lock.release()
    // A live owner (this test's parent, say) is respected.
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' }))
    expect(() => acquireWorkspaceLock(dataDir)).toThrow(WorkspaceLockedError)
    // A half-written lock (its writer died before writing) is stale too.
    writeFileSync(join(dataDir, LOCK_FILE), '')
    acquireWorkspaceLock(dataDir).release()
  })

  it('a second `npm run serve` on the same data dir exits with a clear message', async () => {
    const t = freshEngine()
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--data-dir', t.dataDir, '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (d) => (out += String(d)))
    child.stderr!.on('data', (d) => (out += String(d)))
    const code = await new Promise<number | null>((r) => child.once('exit', r))
    expect(code).not.toBe(0)
    expect(out).toContain(`This workspace is already open in Switchboard (pid ${process.pid})`)
    expect(out).not.toMatch(/at .*\.ts:\d+/) // a sentence, not a stack trace
  }, 30_000)
})

describe('integrity check at start-up', () => {
  it('keeps a damaged database aside, starts on a new one and says what happened', async () => {
    const dataDir = tmp('sb-corrupt-')
    const first = createEngine({ host: 'web', dataDir, log: () => {}, backups: { run: false } })
    for (let i = 0; i < 300; i++) await first.dispatch('contacts.create', { email: `c${i}@x.co`, firstName: 'x'.repeat(200) })
    await first.close()
    // Scribble over pages in the middle of the file (not the header): quick_check finds broken b-trees.
    const file = join(dataDir, 'switchboard.db')
    const size = statSync(file).size
    const fd = openSync(file, 'r+')
    for (let at = 8192; at < size - 4096; at += 4096 * 3) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, at + 100)
    closeSync(fd)
    const damagedBytes = readFileSync(file)

    const logs: string[] = []
    const t = freshEngine({ dataDir, log: (m) => logs.push(m) })
    expect(t.engine.integrity).not.toBeNull()
    const state = await t.ok('backups.list', {})
    expect(state.notice?.damagedFile).toMatch(/switchboard\.db\.damaged-/)
    // Kept byte for byte, never deleted or "repaired".
    expect(readFileSync(state.notice!.damagedFile).equals(damagedBytes)).toBe(true)
    expect(mode(state.notice!.damagedFile)).toBe(0o600)
    expect(logs.join('\n')).toContain('failed its integrity check')
    // The engine works on a fresh database meanwhile.
    expect((await t.ok('contacts.list', {})).total).toBe(0)
    await t.ok('backups.dismissNotice', {})
    expect((await t.ok('backups.list', {})).notice).toBeNull()
  })

  it('treats a file that is not a database at all as damaged', async () => {
    const dataDir = tmp('sb-notdb-')
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(join(dataDir, 'switchboard.db'), 'this is not sqlite '.repeat(500))
    const t = freshEngine({ dataDir })
    expect(t.engine.integrity?.detail).toMatch(/not a database|NOTADB/i)
    expect(existsSync(t.engine.integrity!.damagedFile)).toBe(true)
  })

  it('leaves a sound database alone', async () => {
    const t = freshEngine()
    expect(t.engine.integrity).toBeNull()
    expect(readdirSync(t.dataDir).some((f) => f.includes('damaged'))).toBe(false)
    new Database(join(t.dataDir, 'switchboard.db'), { readonly: true }).close()
  })
})
