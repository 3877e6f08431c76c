// One workspace, one engine: an exclusive lock file in the data dir holding the owner's PID. Two engines on
// one SQLite file both started before, and the second one's writes failed with "The database is busy".
// The file is created with O_EXCL (link of a private temp file, atomic on every platform we ship); a lock
// whose PID no longer runs (a crash, a SIGKILL) is stale and taken over.
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export const LOCK_FILE = 'switchboard.lock'

export class WorkspaceLockedError extends Error {
  readonly code = 'WORKSPACE_LOCKED'
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(`This workspace is already open in Switchboard (pid ${pid})`)
    this.name = 'WorkspaceLockedError'
  }
}

export interface WorkspaceLock {
  readonly file: string
  release(): void
}

interface LockBody {
  pid: number
  host: string
  startedAt: string
}

/** Lock files this process holds: a second engine in the same process is refused like one in another. */
const held = new Set<string>()

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists but belongs to another user; it is alive all the same.
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readBody(file: string): LockBody | null {
  try {
    const body = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockBody>
    return typeof body.pid === 'number' ? (body as LockBody) : null
  } catch {
    return null
  }
}

/** Is the lock's owner gone? A lock from another machine (a synced folder) is never judged stale by PID. */
function stale(file: string, body: LockBody | null): boolean {
  if (!body) return true // unreadable or half-written: its writer died between create and write
  if (body.host !== hostname()) return false
  if (body.pid === process.pid) return !held.has(file)
  return !isAlive(body.pid)
}

export function acquireWorkspaceLock(dataDir: string): WorkspaceLock {
  const file = join(dataDir, LOCK_FILE)
  const body: LockBody = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, JSON.stringify(body))
  } finally {
    closeSync(fd)
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // link() fails with EEXIST when the lock exists: the whole lock file appears at once, never half.
        linkSync(tmp, file)
        held.add(file)
        let released = false
        return {
          file,
          release: () => {
            if (released) return
            released = true
            held.delete(file)
            // Only our own lock is removed (a stale-lock takeover by another process leaves a different PID).
            if (readBody(file)?.pid === process.pid) rmSync(file, { force: true })
          },
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      const owner = readBody(file)
      if (!stale(file, owner)) throw new WorkspaceLockedError(owner!.pid, dataDir)
      // Move the stale lock aside (atomic: of two processes recovering at once only one rename succeeds),
      // then check it was still the stale one before dropping it.
      const aside = `${file}.stale.${process.pid}`
      try {
        renameSync(file, aside)
      } catch {
        continue
      }
      const moved = readBody(aside)
      if (moved && owner && moved.pid !== owner.pid && !stale(file, moved)) {
        // A live owner took it between our read and the rename: give it back and report it.
        renameSync(aside, file)
        throw new WorkspaceLockedError(moved.pid, dataDir)
      }
      rmSync(aside, { force: true })
    }
    throw new Error(`Could not take the workspace lock ${file}`)
  } finally {
    rmSync(tmp, { force: true })
  }
}
