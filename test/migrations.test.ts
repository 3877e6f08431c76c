import Database from 'better-sqlite3'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { erasedKey } from '../src/main/engine/repos/dataRights'

describe('migrations', () => {
  it('build every table of tenancy and people on a fresh database, with WAL and foreign keys', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-mig-')), 'x.db')
    const { sqlite } = openDatabase(file, findMigrationsDir())
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name)
    for (const t of [
      'objects',
      'object_mailgun_settings',
      'mailboxes',
      'email_sending_profiles',
      'users',
      'user_email_profile_assignments',
      'contacts',
      'contact_emails',
      'tags',
      'contact_tags',
      'suppressions',
      'contacts_fts',
    ])
      expect(tables).toContain(t)
    // 0007: search no longer needs the covering sort-key index on threads; the FTS rowid → thread one stays.
    const indexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as Array<{ name: string }>).map((r) => r.name)
    expect(indexes).not.toContain('threads_sort_keys_idx')
    expect(indexes).toContain('messages_thread_of_idx')
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(sqlite.pragma('temp_store', { simple: true })).toBe(2) // MEMORY
    sqlite.close()
  })

  it('are idempotent: reopening applies nothing twice and keeps data', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sb-mig-')), 'x.db')
    const first = openDatabase(file, findMigrationsDir())
    first.sqlite.prepare("INSERT INTO objects (name, created_at, updated_at) VALUES ('A', 1, 1)").run()
    first.sqlite.close()
    const second = openDatabase(file, findMigrationsDir())
    expect(second.sqlite.prepare('SELECT name FROM objects').all()).toEqual([{ name: 'A' }])
    second.sqlite.close()
    const raw = new Database(file)
    const journal = JSON.parse(readFileSync(join(findMigrationsDir(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
    expect((raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length)
    raw.close()
  })
  it('0040 moves an erase salt made before it into erase_salts, so the blocks hashed with it still hold', () => {
    // The migrations up to 0039 in a folder of their own: a desktop as it was before 0040.
    const dir = mkdtempSync(join(tmpdir(), 'sb-mig-dir-'))
    cpSync(findMigrationsDir(), dir, { recursive: true })
    rmSync(join(dir, '0040_erase_salts.sql'))
    const journalFile = join(dir, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
    journal.entries = journal.entries.filter((e) => e.tag < '0040')
    writeFileSync(journalFile, JSON.stringify(journal))
    const file = join(mkdtempSync(join(tmpdir(), 'sb-mig-')), 'x.db')
    const before = openDatabase(file, dir)
    before.sqlite.prepare("INSERT INTO app_settings (key, value) VALUES ('dataRights.salt', 'old-salt')").run()
    before.sqlite.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, ?, 'erased', 1)").run(erasedKey('old-salt', 'ava@client.test'))
    before.sqlite.close()
    const after = openDatabase(file, findMigrationsDir())
    expect(after.sqlite.prepare('SELECT salt FROM erase_salts').pluck().all()).toEqual(['old-salt'])
    expect(after.sqlite.prepare("SELECT count(*) FROM app_settings WHERE key = 'dataRights.salt'").pluck().get()).toBe(0)
    expect(after.sqlite.prepare('SELECT count(*) FROM suppressions WHERE email = ?').pluck().get(erasedKey('old-salt', 'AVA@client.test '))).toBe(1)
    after.sqlite.close()
  })
})
