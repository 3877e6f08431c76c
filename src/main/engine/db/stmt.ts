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
