// Which message is open in compose (at most one), and what happens after Send: the undo toast that can
// pull the message back into a draft while the engine's undo window is open.
import { create } from 'zustand'
import type { Draft, OutboundMessage } from '../../../../shared/outbound'
import { messageOf } from '../../lib/errors'
import { formatWhen } from '../../lib/format'
import { isScheduled } from '../../lib/outbox'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { clearBackup, takeBackups } from './useDraftAutosave'

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

let recovered: () => void = () => undefined
/** Settles once edits left in the journal by the last session are in the engine (reply drafts wait for it). */
export const draftsRecovered: Promise<void> = new Promise((resolve) => (recovered = resolve))

/**
 * At boot: edits the engine never confirmed (typed in the last second before the window closed, or while it
 * could not be reached) are saved now. A reply goes onto its message's reply draft, if one was made meanwhile.
 */
export async function recoverUnsavedDraft(): Promise<void> {
  let count = 0
  let last: Draft | null = null
  try {
    for (const backup of takeBackups()) {
      const { fields } = backup
      let id = backup.id
      if (id === null && fields.replyTo) id = (await rpc('drafts.list', { replyTo: fields.replyTo.messageId }))[0]?.id ?? null
      const save = (id: number | null) => rpc('drafts.save', { ...fields, ...(id ? { id } : {}) })
      const unavailable = (err: unknown) => err instanceof Error && 'code' in err && err.code === 'UNAVAILABLE'
      try {
        // Its draft may have been sent or deleted meanwhile: then it becomes a new one.
        last = await save(id).catch((err) => (id && !unavailable(err) ? save(null) : Promise.reject(err)))
        clearBackup(backup.key)
        count++
      } catch (err) {
        // Still unreachable: keep it for next time.
        if (unavailable(err)) continue
        // Refused (its message or a file is gone): the words are kept as a plain draft rather than retried forever.
        try {
          last = await rpc('drafts.save', { ...fields, attachments: undefined, replyTo: undefined })
          clearBackup(backup.key)
          count++
        } catch (again) {
          if (!unavailable(again)) useApp.getState().toast('error', `A draft could not be recovered: ${messageOf(again)}`)
        }
      }
    }
  } catch {
    /* still unreachable: keep the journal for next time */
  } finally {
    recovered()
  }
  if (count === 0 || !last) return
  const draft = last
  const words = count === 1 ? (draft.replyTo ? 'Recovered a reply that was not saved' : 'Recovered a draft that was not saved') : `Recovered ${count} drafts that were not saved`
  useApp.getState().toast('success', words, { duration: 8000, ...(draft.replyTo ? {} : { action: { label: 'Open', run: () => openCompose({ draft }) } }) })
}
