// How the team workspace's state reads, in the status bar and on Settings › Team (issue 22).
import type { TeamStatus } from '../../../../shared/team'
import { relativeTime } from '../../lib/format'

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

export function teamWords(s: TeamStatus): { tone: 'ok' | 'busy' | 'off' | 'gone'; label: string; detail: string } {
  const waiting = s.pendingOps > 0 ? `${plural(s.pendingOps, 'change')} waiting` : ''
  const synced = s.lastSyncedAt ? `synced ${relativeTime(s.lastSyncedAt)}` : 'not synced yet'
  switch (s.state) {
    case 'offline':
      return { tone: 'off', label: waiting ? `Team offline · ${waiting}` : 'Team offline', detail: `${s.problem ?? 'PostgreSQL cannot be reached'}. Your changes are kept here and sent when it is back; last ${synced}.` }
    case 'syncing':
      return { tone: 'busy', label: waiting ? `Syncing · ${waiting}` : 'Syncing…', detail: `Sending and fetching changes; last ${synced}.` }
    case 'removed':
      return { tone: 'gone', label: 'Removed from the workspace', detail: s.problem ?? 'An admin removed you from this workspace. Leave it to keep working on your own.' }
    case 'synced':
      return { tone: 'ok', label: 'Team synced', detail: `Up to date with ${s.database ?? 'the team'}; ${synced}.` }
    default:
      return { tone: 'ok', label: 'Solo', detail: 'This desktop is not in a team workspace.' }
  }
}
