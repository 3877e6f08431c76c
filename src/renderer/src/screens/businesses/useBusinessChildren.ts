import type { Mailbox, Profile } from '../../../../shared/models'
import { useQuery } from '../../lib/useQuery'
import { toastError } from '../../store'

/** A business's sender profiles and mailboxes, reloaded whenever the engine reports a change (sends move
 * each mailbox's count for today, so outbox changes reload the mailboxes, batched). */
export function useBusinessChildren(objectId: number): { profiles: Profile[] | null; mailboxes: Mailbox[] | null } {
  const profiles = useQuery('profiles.list', { objectId }, { events: ['objects.changed'], delayMs: 0, keepPrevious: false, onError: toastError })
  const mailboxes = useQuery('mailboxes.list', { objectId }, { events: ['objects.changed', 'outbox.changed'], delayMs: 500, keepPrevious: false, onError: toastError })
  return { profiles: profiles.data, mailboxes: mailboxes.data }
}
