// Attachment bytes live on disk, one file per distinct sha256, so a forwarded PDF is stored once.
// Written before the database transaction (a crash leaves at worst an unreferenced file, never a row
// pointing at nothing); the temp-then-rename makes a half-written file impossible.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const HEX = /^[0-9a-f]{64}$/

export function attachmentPath(dataDir: string, sha256: string): string {
  if (!HEX.test(sha256)) throw new Error(`bad attachment hash ${sha256}`)
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256)
}

/** Writes the bytes unless a file with that hash exists. Returns the hash actually used (recomputed if absent/wrong). */
export function saveAttachment(dataDir: string, content: Buffer, sha256?: string): string {
  const hash = sha256 && HEX.test(sha256) ? sha256 : createHash('sha256').update(content).digest('hex')
  const file = attachmentPath(dataDir, hash)
  if (existsSync(file)) return hash
  mkdirSync(join(dataDir, 'attachments', hash.slice(0, 2)), { recursive: true })
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  writeFileSync(tmp, content)
  renameSync(tmp, file)
  return hash
}

export function readAttachment(dataDir: string, sha256: string): Buffer | null {
  const file = attachmentPath(dataDir, sha256)
  return existsSync(file) ? readFileSync(file) : null
}

export function removeAttachment(dataDir: string, sha256: string): void {
  rmSync(attachmentPath(dataDir, sha256), { force: true })
}
