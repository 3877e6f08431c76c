// Issue 23 (memory): a parse thread runs with a small young generation (PARSE_YOUNG_MB, not V8's 48 MB
// default, which a first sync kept resident) and still parses; the heap cap that confines a hostile
// message to its own thread stays.
import { afterEach, expect, it } from 'vitest'
import { createParsePool, PARSE_YOUNG_MB, type ParsePool } from '../src/main/engine/inbound/sync/pool'

let pool: ParsePool | null = null
afterEach(async () => {
  await pool?.close()
  pool = null
})

it('starts its parse threads with a bounded young generation and parses with it', async () => {
  pool = createParsePool({ size: 1 })
  pool.warm()
  await pool.ready()
  const html = `<p>${'word '.repeat(20_000)}</p>`
  const src = Buffer.from(`Subject: big\r\nFrom: a@example.test\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`)
  const bodies = await pool.parse(Array.from({ length: 20 }, () => ({ source: src, internalDate: 0 })))
  expect(bodies.map((b) => b.subject)).toEqual(Array(20).fill('big'))
  expect(bodies.every((b) => b.parseError === null)).toBe(true)
  const [limits] = pool.limits()
  expect(PARSE_YOUNG_MB).toBeLessThanOrEqual(16)
  expect(limits!.maxYoungGenerationSizeMb).toBe(PARSE_YOUNG_MB)
  expect(limits!.maxOldGenerationSizeMb).toBe(768)
})
