// Attachment bytes live on disk, one file per distinct sha256, so a forwarded PDF is stored once.
// Written before the database transaction (a crash leaves at worst an unreferenced file, never a row
// pointing at nothing).
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'

const HEX = /^[0-9a-f]{64}$/

export function attachmentPath(dataDir: string, sha256: string): string {
  if (!HEX.test(sha256)) throw new Error(`bad attachment hash ${sha256}`)
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256)
}

/** Directories this thread has made: a new file then costs one directory entry and no mkdir. */
const madeDirs = new Set<string>()

/**
 * Writes the bytes unless a file with that hash exists. Returns the hash actually used (recomputed if
 * absent/wrong). The file is created exclusively under its final name: one directory operation, which is
 * what file creation costs on a busy disk. A write cut short (a crash, a full disk) leaves a file of the
 * wrong length; the next save of that hash finds it by its size and replaces it whole.
 */
export function saveAttachment(dataDir: string, content: Buffer, sha256?: string): string {
  const hash = sha256 && HEX.test(sha256) ? sha256 : createHash('sha256').update(content).digest('hex')
  const file = attachmentPath(dataDir, hash)
  const dir = dirname(file)
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    madeDirs.add(dir)
  }
  for (let attempt = 0; ; attempt++) {
    let fd: number
    try {
      fd = openSync(file, 'wx', 0o600) // private, like the rest of the data dir
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'EEXIST') break
      if (code !== 'ENOENT' || attempt > 0) throw e
      // The directory went away under us (the data dir was cleared): make it again, once.
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      continue
    }
    try {
      for (let at = 0; at < content.length; ) at += writeSync(fd, content, at)
      closeSync(fd)
      return hash
    } catch (e) {
      // Our own half-written file goes; nobody else's is touched.
      try {
        closeSync(fd)
      } catch {
        // already closed, or the close was what failed
      }
      rmSync(file, { force: true })
      throw e
    }
  }
  if (statSync(file).size === content.length) return hash
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  writeFileSync(tmp, content, { mode: 0o600 })
  renameSync(tmp, file)
  return hash
}

/** The bytes, or null when the file is missing or damaged (its content no longer matches its name). */
export function readAttachment(dataDir: string, sha256: string): Buffer | null {
  const file = attachmentPath(dataDir, sha256)
  if (!existsSync(file)) return null
  const bytes = readFileSync(file)
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? bytes : null
}

export function removeAttachment(dataDir: string, sha256: string): void {
  rmSync(attachmentPath(dataDir, sha256), { force: true })
}
