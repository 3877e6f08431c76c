// The parse threads give way to the engine's thread on a busy machine (issue 14): each lowers its own
// priority (Linux keeps a niceness per thread), so parsing a burst of hostile mail does not take the CPU
// the UI's reads need. Read from /proc: the pool's threads at niceness 10, this (the engine's) thread at 0.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { getPriority } from 'node:os'
import { afterEach, expect, it } from 'vitest'
import { createParsePool, type ParsePool } from '../src/main/engine/inbound/sync/pool'

let pool: ParsePool | null = null
afterEach(async () => {
  await pool?.close()
  pool = null
})

/** The niceness of every thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  })
}

it.runIf(existsSync('/proc/self/task'))('runs its parse threads at a lower priority than the engine thread, and still parses', async () => {
  const before = threadNices().filter((n) => n === 10).length
  pool = createParsePool({ size: 2 })
  pool.warm()
  await pool.ready()
  const [body] = await pool.parse([{ source: Buffer.from('Subject: hi\r\nFrom: a@example.test\r\n\r\nhello\r\n'), internalDate: 0 }])
  expect(body!.subject).toBe('hi')
  expect(threadNices().filter((n) => n === 10).length - before).toBe(2)
  expect(getPriority()).toBe(0)
})
