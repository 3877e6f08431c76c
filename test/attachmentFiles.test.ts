// Attachment files: one per content hash, created under their final name; a file cut short by a crash
// is repaired by the next save of that content, and is never served while damaged.
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { attachmentPath, readAttachment, removeAttachment, saveAttachment } from '../src/main/engine/inbound/attachmentFiles'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sb-att-'))
  dirs.push(d)
  return d
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

it('stores each distinct content once, under its hash', () => {
  const dir = dataDir()
  const a = Buffer.from('invoice 42')
  expect(saveAttachment(dir, a)).toBe(sha(a))
  expect(saveAttachment(dir, a, sha(a))).toBe(sha(a))
  expect(readdirSync(dirname(attachmentPath(dir, sha(a))))).toEqual([sha(a)])
  expect(readAttachment(dir, sha(a))).toEqual(a)
  // A malformed hash from the caller is replaced by the content's own.
  expect(saveAttachment(dir, a, 'not-a-hash')).toBe(sha(a))
})

it('repairs a file a crash left short, and reports a damaged file as missing', () => {
  const dir = dataDir()
  const a = Buffer.from('a signed contract, several pages long')
  saveAttachment(dir, a)
  const file = attachmentPath(dir, sha(a))
  truncateSync(file, 5)
  expect(readAttachment(dir, sha(a))).toBeNull()
  saveAttachment(dir, a)
  expect(readAttachment(dir, sha(a))).toEqual(a)
  writeFileSync(file, Buffer.alloc(a.length, 0)) // right length, wrong bytes
  expect(readAttachment(dir, sha(a))).toBeNull()
})

it('makes the folders again when the data folder was cleared', () => {
  const dir = dataDir()
  const a = Buffer.from('first')
  saveAttachment(dir, a)
  rmSync(join(dir, 'attachments'), { recursive: true })
  saveAttachment(dir, a)
  expect(readAttachment(dir, sha(a))).toEqual(a)
  removeAttachment(dir, sha(a))
  expect(readAttachment(dir, sha(a))).toBeNull()
})
