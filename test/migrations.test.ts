import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'

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
})
