// Which message is open in compose (at most one), and what happens after Send: the undo toast that can
// pull the message back into a draft while the engine's undo window is open.
import { create } from 'zustand'
import type { Draft, OutboundMessage } from '../../../../shared/outbound'
import { messageOf } from '../../lib/errors'
import { formatWhen } from '../../lib/format'
import { isScheduled } from '../../lib/outbox'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { clearBackup, takeBackup } from './useDraftAutosave'

export interface ComposeRequest {
  /** Open a saved draft (loaded by id). */
  draftId?: number
  /** Open a draft already in hand (undo send returns one). */
  draft?: Draft
  /** A new message to a contact. */
  contact?: { id: number; email: string; objectId: number | null }
}
export interface ComposeSession extends ComposeRequest {
  /** A fresh mount per open, so reopening never shows stale state. */
  key: number
}

let nextKey = 1
export const useCompose = create<{ session: ComposeSession | null }>(() => ({ session: null }))

export const openCompose = (request: ComposeRequest = {}): void => useCompose.setState({ session: { ...request, key: nextKey++ } })
export const closeCompose = (): void => useCompose.setState({ session: null })

/** The "queued · Undo" toast, open exactly as long as the engine will accept the undo. */
export function announceQueued(message: OutboundMessage): void {
  const { toast, info } = useApp.getState()
  const scheduled = isScheduled(message)
  const text = message.status === 'skipped' ? `Not sent: ${message.statusReason ?? 'the recipient is suppressed'}` : scheduled ? `Scheduled for ${formatWhen(message.scheduledFor)}` : 'Message queued'
  if (message.status === 'skipped' || !message.undoUntil) {
    toast(message.status === 'skipped' ? 'error' : 'success', text)
    return
  }
  // Measured on the engine's clock (it may be a test clock), never against ours.
  const left = Math.min((info?.undoSeconds ?? 10) * 1000, Math.max(Date.parse(message.undoUntil) - Date.parse(message.createdAt), 0))
  toast('success', text, {
    duration: Math.max(left, 1500),
    action: {
      label: 'Undo',
      run: () => {
        rpc('outbox.undo', { id: message.id }).then(
          (draft) => openCompose({ draft }),
          (err) => useApp.getState().toast('error', messageOf(err)),
        )
      },
    },
  })
}

/** At boot: a draft that was kept in this browser because the engine could not be reached is saved now. */
export async function recoverUnsavedDraft(): Promise<void> {
  const backup = takeBackup()
  if (!backup) return
  const save = (id: number | null) => rpc('drafts.save', { ...backup.fields, ...(id ? { id } : {}) })
  try {
    // Its draft may have been sent or deleted meanwhile: then it becomes a new one.
    const draft = await save(backup.id).catch(() => save(null))
    clearBackup()
    useApp.getState().toast('success', 'Recovered a draft that was not saved', { duration: 8000, action: { label: 'Open', run: () => openCompose({ draft }) } })
  } catch {
    /* still unreachable: keep the backup for next time */
  }
}
