// Private by default: anyone else on the computer must not read the mail. The data dir is 0700 and its
// files 0600; an existing workspace from before (0755 / 0644) is fixed at start-up. New files get the
// right mode where they are made (the database is created 0600 before SQLite opens it, and SQLite gives
// its WAL and SHM the database's mode).
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const DIR_MODE = 0o700
const FILE_MODE = 0o600
const posix = process.platform !== 'win32'

/** chmod when the mode gives anything to group or others; returns whether it changed anything. */
function tighten(path: string, mode: number): boolean {
  const st = lstatSync(path)
  if (st.isSymbolicLink() || (st.mode & 0o077) === 0) return false
  chmodSync(path, mode)
  return true
}

function walk(dir: string): number {
  let fixed = tighten(dir, DIR_MODE) ? 1 : 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) fixed += walk(p)
    else if (entry.isFile() && tighten(p, FILE_MODE)) fixed++
  }
  return fixed
}

/** What Switchboard keeps in a data dir: only these are touched, whatever else a user keeps there. */
const OWN_FILE = /^(switchboard\.(db|lock)|secret\.key|integrity-notice\.json)/
const OWN_DIRS = new Set(['attachments', 'backups'])

/**
 * Makes the data dir (creating it 0700) and tightens it and Switchboard's own entries in it. Its
 * sub-folders (attachments, backups) are walked only when the data dir itself was open to others, i.e.
 * once, on the upgrade of an old workspace: a 0700 parent already keeps everyone else out of them, and a
 * walk of 100,000 attachments at every start is not free. Returns the number of entries fixed.
 */
export function secureDataDir(dataDir: string): number {
  mkdirSync(dataDir, { recursive: true, mode: DIR_MODE })
  if (!posix) return 0
  const wasOpen = (lstatSync(dataDir).mode & 0o077) !== 0
  let fixed = tighten(dataDir, DIR_MODE) ? 1 : 0
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const p = join(dataDir, entry.name)
    if (entry.isFile() && OWN_FILE.test(entry.name) && tighten(p, FILE_MODE)) fixed++
    else if (entry.isDirectory() && OWN_DIRS.has(entry.name)) fixed += wasOpen ? walk(p) : tighten(p, DIR_MODE) ? 1 : 0
  }
  return fixed
}

/** Creates an empty file 0600 unless it exists (an empty file is a valid empty SQLite database). */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return
  try {
    closeSync(openSync(file, 'wx', FILE_MODE))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
}

/** A private sub-folder of the data dir (backups/, attachments/). */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE })
  if (posix) tighten(dir, DIR_MODE)
  return dir
}
