// The parse thread pool: batches come back in order, and a message that kills its thread (here: more
// heap than the thread may have) costs only that message, which comes back raw and marked. Attachment
// files are written by the thread.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { readAttachment } from '../src/main/engine/inbound/attachmentFiles'
import { createParsePool, type ParsePool } from '../src/main/engine/inbound/sync/pool'

let pool: ParsePool | undefined
afterEach(async () => {
  await pool?.close()
  pool = undefined
})

const msg = (i: number) => Buffer.from(`From: a${i}@x.test\r\nSubject: m${i}\r\nMessage-ID: <m${i}@x.test>\r\n\r\nbody ${i}\r\n`)

it('parses batches in order across threads', async () => {
  pool = createParsePool({ size: 2 })
  const batches = await Promise.all([0, 1, 2, 3].map((b) => pool!.parse(Array.from({ length: 50 }, (_, i) => ({ source: msg(b * 50 + i), internalDate: 1 })))))
  expect(batches.flat().map((r) => r.subject)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i}`))
}, 60_000)

it('hands a batch back packed: each message weighed, opened on demand in any order, as parse would give it', async () => {
  pool = createParsePool({ size: 1 })
  const items = Array.from({ length: 40 }, (_, i) => ({ source: i === 7 ? Buffer.from(`Subject: big\r\nFrom: b@x.test\r\n\r\n${'z'.repeat(300_000)}\r\n`) : msg(i), internalDate: i }))
  const packed = await pool.parsePacked(items)
  expect(packed).toHaveLength(40)
  // The weights are the store's (what a transaction is cut by): the 300 KB body weighs as much.
  expect(packed[7].bytes).toBeGreaterThanOrEqual(300_000)
  expect(packed[8].bytes).toBeLessThan(1000)
  // Out of order, across the groups the thread serialised them in.
  const order = [39, 0, 20, 7, 1, ...Array.from({ length: 40 }, (_, i) => i).filter((i) => ![39, 0, 20, 7, 1].includes(i))]
  const opened = new Map(order.map((i) => [i, packed[i].open()]))
  const eager = await pool.parse(items)
  for (let i = 0; i < 40; i++) expect(opened.get(i)).toEqual(eager[i])
  expect(opened.get(7)!.subject).toBe('big')
  expect(opened.get(20)!.subject).toBe('m20')
}, 60_000)

it('a message that crashes its thread comes back raw and marked; the rest of its batch is parsed', async () => {
  pool = createParsePool({ size: 1, maxMemoryMb: 24 })
  // ~40 MB of base64 in a part mailparser must decode: far beyond a 24 MB heap.
  const huge = Buffer.concat([
    Buffer.from('From: big@x.test\r\nSubject: huge\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
    Buffer.alloc(30 * 1024 * 1024, 'QUFB\r\n'),
    Buffer.from('\r\n--b--\r\n'),
  ])
  const out = await pool.parse([
    { source: msg(1), internalDate: 1 },
    { source: huge, internalDate: 2 },
    { source: msg(3), internalDate: 3 },
  ])
  expect(out.map((r) => r.subject)).toEqual(['m1', 'huge', 'm3'])
  expect(out[0].parseError).toBeNull()
  expect(out[2].parseError).toBeNull()
  expect(out[1].parseError).toMatch(/gave up/)
  expect(out[1].raw?.length).toBe(huge.length)
  // The pool carries on with a fresh thread.
  expect((await pool.parse([{ source: msg(4), internalDate: 4 }]))[0].subject).toBe('m4')
}, 120_000)

it('writes attachment files in the thread and sends back only their hashes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-pool-'))
  try {
    pool = createParsePool({ size: 1, dataDir })
    const pdf = Buffer.from('%PDF-1.4 quote for Ann\n')
    const src = Buffer.from(
      [
        'From: a@x.test',
        'Subject: quote',
        'Message-ID: <q@x.test>',
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        'Content-Type: application/pdf; name="quote.pdf"',
        'Content-Disposition: attachment; filename="quote.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    )
    const [r] = await pool.parse([{ source: src, internalDate: 1 }])
    const sha = createHash('sha256').update(pdf).digest('hex')
    expect(r.attachments).toMatchObject([{ filename: 'quote.pdf', sha256: sha, content: null }])
    expect(readAttachment(dataDir, sha)).toEqual(pdf)
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}, 60_000)

it('gives parsed sources back at once when asked, and keeps a source it gave up on (it is stored raw)', async () => {
  pool = createParsePool({ size: 1, maxMemoryMb: 24 })
  // Over 4 KB, so each has an ArrayBuffer of its own (smaller Buffers share Node's pool slab and are left alone).
  const big = (i: number) => Buffer.concat([msg(i), Buffer.from('x'.repeat(8000))])
  const small = msg(9)
  const items = [big(1), big(2), small].map((source, i) => ({ source, internalDate: i }))
  const packed = await pool.parsePacked(items, { releaseSources: true })
  expect(packed.map((p) => p.open().subject)).toEqual(['m1', 'm2', 'm9'])
  expect(items[0]!.source.byteLength).toBe(0)
  expect(items[1]!.source.byteLength).toBe(0)
  expect(small.toString()).toContain('Subject: m9')

  const huge = Buffer.concat([
    Buffer.from('From: big@x.test\r\nSubject: huge\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
    Buffer.alloc(30 * 1024 * 1024, 'QUFB\r\n'),
    Buffer.from('\r\n--b--\r\n'),
  ])
  const hugeLength = huge.length
  const [crashed] = (await pool.parsePacked([{ source: huge, internalDate: 2 }], { releaseSources: true })).map((p) => p.open())
  expect(crashed!.parseError).toMatch(/gave up/)
  expect(crashed!.raw?.length).toBe(hugeLength)
  expect(huge.byteLength).toBe(hugeLength)
}, 120_000)

it('keeps a packed group whole while a message in it carries bytes (an attachment not written to a file)', async () => {
  pool = createParsePool({ size: 1 })
  const pdf = Buffer.from('%PDF-1.4 not really a pdf, but bytes all the same')
  const source = Buffer.from(
    `From: a@x.test\r\nSubject: with file\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee file\r\n--b\r\nContent-Type: application/pdf; name="x.pdf"\r\nContent-Disposition: attachment; filename="x.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf.toString('base64')}\r\n--b--\r\n`,
  )
  const packed = await pool.parsePacked([{ source: msg(1), internalDate: 1 }, { source, internalDate: 2 }])
  const [first, second] = packed.map((p) => p.open())
  expect(first!.subject).toBe('m1')
  expect(Buffer.from(second!.attachments[0]!.content!).equals(pdf)).toBe(true)
  expect(() => packed[0]!.open()).toThrow(/opened twice/)
})
