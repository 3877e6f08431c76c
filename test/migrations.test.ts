import Database from 'better-sqlite3'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findMigrationsDir, openDatabase } from '../src/main/engine/db/open'
import { erasedKey } from '../src/main/engine/repos/dataRights'

/** A database file migrated only up to (not including) migration `tag`: a desktop as it was before it. */
function databaseBefore(tag: string): { file: string; sqlite: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mig-dir-'))
  cpSync(findMigrationsDir(), dir, { recursive: true })
  const journalFile = join(dir, 'meta', '_journal.json')
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> }
  journal.entries = journal.entries.filter((e) => e.tag < tag)
  writeFileSync(journalFile, JSON.stringify(journal))
  const file = join(mkdtempSync(join(tmpdir(), 'sb-mig-')), 'x.db')
  return { file, sqlite: openDatabase(file, dir).sqlite }
}

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
    const before = databaseBefore('0040')
    before.sqlite.prepare("INSERT INTO app_settings (key, value) VALUES ('dataRights.salt', 'old-salt')").run()
    before.sqlite.prepare("INSERT INTO suppressions (object_id, email, reason, created_at) VALUES (NULL, ?, 'erased', 1)").run(erasedKey('old-salt', 'ava@client.test'))
    before.sqlite.close()
    const after = openDatabase(before.file, findMigrationsDir())
    expect(after.sqlite.prepare('SELECT salt FROM erase_salts').pluck().all()).toEqual(['old-salt'])
    expect(after.sqlite.prepare("SELECT count(*) FROM app_settings WHERE key = 'dataRights.salt'").pluck().get()).toBe(0)
    expect(after.sqlite.prepare('SELECT count(*) FROM suppressions WHERE email = ?').pluck().get(erasedKey('old-salt', 'AVA@client.test '))).toBe(1)
    after.sqlite.close()
  })
  it('0041 shares erased messages: the keys a workspace desktop made before it are queued for the others, each op its own', () => {
    const before = databaseBefore('0041')
    before.sqlite
      .prepare(
        "INSERT INTO team_state (id, workspace_id, device_id, user_email, user_role, database_url, role_name, password_sealed, block_start, created_at) VALUES (1, 'w', 1, 'admin@shop.test', 'admin', 'postgres://x', 'r', 's', 0, 1)",
      )
      .run()
    const keys = ['erased:aa', 'erased:bb', 'erased:cc']
    for (const k of keys) before.sqlite.prepare('INSERT INTO erased_messages (key, created_at) VALUES (?, 5)').run(k)
    before.sqlite.close()
    const after = openDatabase(before.file, findMigrationsDir())
    const ops = after.sqlite.prepare("SELECT id, row_key AS rowKey, kind, fields, user_email AS userEmail FROM team_ops WHERE tbl = 'erased_messages' ORDER BY row_key").all() as Array<Record<string, string>>
    expect(ops.map((o) => [o.rowKey, o.kind, JSON.parse(o.fields).created_at, o.userEmail])).toEqual(keys.map((k) => [k, 'insert', 5, 'admin@shop.test']))
    expect(new Set(ops.map((o) => o.id)).size).toBe(3)
    for (const o of ops) expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    // From now on an erase's keys are captured by the triggers.
    after.sqlite.prepare("INSERT INTO erased_messages (key, created_at) VALUES ('erased:dd', 6)").run()
    expect(after.sqlite.prepare("SELECT count(*) FROM team_ops WHERE tbl = 'erased_messages'").pluck().get()).toBe(4)
    after.sqlite.close()
  })
})
