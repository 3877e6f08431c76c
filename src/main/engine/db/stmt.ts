// Prepared statements, cached per connection: the scheduler runs the same few queries thousands of times
// a minute, and preparing them each time cost more than running them.
import type Database from 'better-sqlite3'
import type { Sqlite } from './open'

type Statement = Database.Statement<unknown[], unknown>
/**
 * A cached statement: the same object for every caller of the same SQL, so its mode must never change. Calling
 * `.pluck()` on one (it changes the statement in place) made every other caller of that text get bare values where
 * it read rows (a setting read as undefined after the erase's marker was read with pluck). The type leaves the
 * mode switches out; `stmtPluck` keeps plucked statements apart.
 */
export type CachedStatement = Omit<Statement, 'pluck' | 'raw' | 'expand' | 'safeIntegers'>
const caches = new WeakMap<Sqlite, Map<string, Statement>>()
const plucked = new WeakMap<Sqlite, Map<string, Statement>>()

function cached(by: WeakMap<Sqlite, Map<string, Statement>>, sqlite: Sqlite, sql: string, pluck: boolean): Statement {
  let cache = by.get(sqlite)
  if (!cache) by.set(sqlite, (cache = new Map()))
  let s = cache.get(sql)
  if (!s) {
    s = sqlite.prepare<unknown[], unknown>(sql)
    if (pluck) s.pluck()
    cache.set(sql, s)
  }
  return s
}

export const stmt = (sqlite: Sqlite, sql: string): CachedStatement => cached(caches, sqlite, sql, false)

/** The statement returning each row's first column as a bare value (better-sqlite3's pluck), cached apart. */
export const stmtPluck = (sqlite: Sqlite, sql: string): CachedStatement => cached(plucked, sqlite, sql, true)

/**
 * Runs `fn` in a transaction (a savepoint when one is open), through one wrapper made per connection.
 * better-sqlite3's `transaction()` builds a fresh wrapper on every call, which cost about 5 % of a queued
 * message; hot paths go through here instead.
 */
const runners = new WeakMap<Sqlite, Database.Transaction<(fn: () => unknown) => unknown>>()
export function inTransaction<T>(sqlite: Sqlite, fn: () => T, mode: 'deferred' | 'immediate' = 'deferred'): T {
  let run = runners.get(sqlite)
  if (!run) runners.set(sqlite, (run = sqlite.transaction((f: () => unknown) => f())))
  return (mode === 'immediate' ? run.immediate(fn) : run(fn)) as T
}
