import { useCallback, useEffect, useState } from 'react'
import type { Mailbox, Profile } from '../../../../shared/models'
import { onEvent, rpc } from '../../rpc'
import { toastError } from '../../store'

/** A business's sender profiles and mailboxes, reloaded whenever the engine reports a change (sends move
 * each mailbox's count for today, so outbox changes reload the mailboxes, batched). */
export function useBusinessChildren(objectId: number): { profiles: Profile[] | null; mailboxes: Mailbox[] | null } {
  const [profiles, setProfiles] = useState<Profile[] | null>(null)
  const [mailboxes, setMailboxes] = useState<Mailbox[] | null>(null)
  const load = useCallback(() => {
    rpc('profiles.list', { objectId }).then(setProfiles, toastError)
    rpc('mailboxes.list', { objectId }).then(setMailboxes, toastError)
  }, [objectId])
  useEffect(() => {
    load()
    let t: ReturnType<typeof setTimeout> | undefined
    const offs = [
      onEvent('objects.changed', load),
      onEvent('outbox.changed', () => {
        clearTimeout(t)
        t = setTimeout(() => rpc('mailboxes.list', { objectId }).then(setMailboxes, toastError), 500)
      }),
    ]
    return () => (offs.forEach((off) => off()), clearTimeout(t))
  }, [load, objectId])
  return { profiles, mailboxes }
}
