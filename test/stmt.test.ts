// The prepared-statement cache (db/stmt.ts) hands every caller of the same SQL the same statement: a plucked read
// must not change what a plain read of the same text returns (it did: a setting read as undefined after another
// caller plucked the same SELECT).
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { stmt, stmtPluck } from '../src/main/engine/db/stmt'

describe('stmt', () => {
  it('keeps plucked and plain statements of one SQL text apart, each cached', () => {
    const db = new Database(':memory:')
    db.exec("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT); INSERT INTO kv VALUES ('a', 'one')")
    const sql = 'SELECT value FROM kv WHERE key = ?'
    expect(stmt(db, sql).get('a')).toEqual({ value: 'one' })
    expect(stmtPluck(db, sql).get('a')).toBe('one')
    expect(stmt(db, sql).get('a')).toEqual({ value: 'one' })
    expect(stmtPluck(db, sql).all('a')).toEqual(['one'])
    expect(stmt(db, sql)).toBe(stmt(db, sql))
    expect(stmtPluck(db, sql)).toBe(stmtPluck(db, sql))
    db.close()
  })
})
