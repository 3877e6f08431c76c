// Which backups to keep: the newest automatic backup of each of the last 7 days that have one, and the
// newest of each of the last 4 weeks before those (grandfather-father-son, days and weeks in UTC).
// Manual backups ("Back up now", often taken before something risky) are not thinned by day: the newest
// 5 of them are kept.
import type { BackupFile } from './files'

export const KEEP_DAILY = 7
export const KEEP_WEEKLY = 4
export const KEEP_MANUAL = 5

const DAY = 86_400_000
const dayOf = (at: number) => Math.floor(at / DAY)
/** Weeks start on Monday (1970-01-01 was a Thursday, hence the offset of 3 days). */
const weekOf = (at: number) => Math.floor((dayOf(at) + 3) / 7)

/** The files to delete; `files` in any order. */
export function toPrune(files: BackupFile[]): BackupFile[] {
  const newestFirst = [...files].sort((a, b) => b.at - a.at)
  const keep = new Set<BackupFile>()
  const days = new Set<number>()
  const weeks = new Set<number>()
  let manual = 0
  for (const f of newestFirst) {
    if (f.kind === 'manual') {
      if (manual++ < KEEP_MANUAL) keep.add(f)
      continue
    }
    const day = dayOf(f.at)
    if (days.size < KEEP_DAILY) {
      if (!days.has(day)) days.add(day), keep.add(f)
      continue
    }
    // Past the daily window: the newest of each older week.
    const week = weekOf(f.at)
    if (weeks.size < KEEP_WEEKLY && !weeks.has(week)) {
      weeks.add(week)
      keep.add(f)
    }
  }
  return newestFirst.filter((f) => !keep.has(f))
}
