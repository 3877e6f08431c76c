// The backup state kept fresh from 'backups.changed', and the restart into a backup: after
// backups.restore the engine closes and reopens (web host) or the app relaunches (Electron); the page
// waits until the engine answers again and then reloads on the restored workspace.
import { useEffect, useState } from 'react'
import type { BackupState } from '../../../../shared/backups'
import { useQuery, type Remote } from '../../lib/useQuery'
import { rpc } from '../../rpc'

export function useBackups(): Remote<BackupState> {
  return useQuery('backups.list', {}, { events: ['backups.changed'] })
}

export type RestartState = { phase: 'idle' } | { phase: 'restarting'; since: number }

/** Restores `id` and reloads the page once the workspace is back. */
export function useRestart(): { state: RestartState; restore(id: string): Promise<void> } {
  const [state, setState] = useState<RestartState>({ phase: 'idle' })
  useEffect(() => {
    if (state.phase !== 'restarting') return
    let stop = false
    const poll = async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 400))
        try {
          await rpc('app.info', {})
          location.reload()
          return
        } catch {
          // still restarting
        }
      }
    }
    void poll()
    return () => void (stop = true)
  }, [state.phase])
  return {
    state,
    restore: async (id) => {
      await rpc('backups.restore', { id })
      setState({ phase: 'restarting', since: Date.now() })
    },
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(n < 10 * 1024 ** 2 ? 1 : 0)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}
