// Prepared statements, cached per connection: the scheduler runs the same few queries thousands of times
// a minute, and preparing them each time cost more than running them.
import type Database from 'better-sqlite3'
import type { Sqlite } from './open'

type Statement = Database.Statement<unknown[], unknown>
const caches = new WeakMap<Sqlite, Map<string, Statement>>()

export function stmt(sqlite: Sqlite, sql: string): Statement {
  let cache = caches.get(sqlite)
  if (!cache) caches.set(sqlite, (cache = new Map()))
  let s = cache.get(sql)
  if (!s) {
    s = sqlite.prepare<unknown[], unknown>(sql)
    cache.set(sql, s)
  }
  return s
}

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
