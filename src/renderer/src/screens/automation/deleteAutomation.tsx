// Deleting an autoresponder or a sequence asks the same way: it stops at once, what it already queued stays
// in the outbox, and the screen goes back to the list.
import type { ConfirmRequest } from '../../components/ConfirmDialog'
import { navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'

const NAMES = { autoresponders: 'Autoresponder', sequences: 'Sequence' } as const

/** For useConfirm: `stops` finishes the sentence that starts with the automation's name. */
export function deleteAutomation(list: keyof typeof NAMES, item: { id: number; name: string }, stops: string): ConfirmRequest {
  const noun = NAMES[list].toLowerCase()
  return {
    title: `Delete this ${noun}?`,
    message: (
      <>
        <strong>{item.name}</strong> {stops}
      </>
    ),
    confirmLabel: `Delete ${noun}`,
    onConfirm: async () => {
      await rpc(`${list}.delete`, { id: item.id })
      toastOk(`${NAMES[list]} deleted`)
      navigate({ name: list })
    },
  }
}
