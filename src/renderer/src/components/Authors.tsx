// Who did what (issue 22 item 5), as HubSpot and Pipedrive show it: "Added by Ivy Staff · last changed by Gil Admin
// 5 minutes ago" under a contact's name, and "by Ivy Staff" (or the sequence that queued it) on an outbox message.
// Only what is known is shown: a solo desktop where nobody is chosen shows nothing.
import type { JSX } from 'react'
import { queuedByText, type Author, type QueuedBy } from '../../../shared/authors'
import { relativeTime } from '../lib/format'
import { fullTime } from '../lib/inbox'
import '../styles/authors.css'

export function ContactAuthors({ createdBy, updatedBy, updatedAt }: { createdBy?: Author | null; updatedBy?: Author | null; updatedAt: string }): JSX.Element | null {
  if (!createdBy && !updatedBy) return null
  return (
    <p className="record-authors" data-testid="contact-authors">
      {createdBy && (
        <span>
          Added by <strong title={createdBy.email}>{createdBy.name}</strong>
        </span>
      )}
      {updatedBy && (
        <span>
          {createdBy ? 'last changed by' : 'Last changed by'} <strong title={updatedBy.email}>{updatedBy.name}</strong>{' '}
          <time dateTime={updatedAt} title={fullTime(updatedAt)}>
            {relativeTime(updatedAt)}
          </time>
        </span>
      )}
    </p>
  )
}

/** "by Ivy Staff" / "by sequence Spring re-booking"; nothing when nobody is known. */
export function QueuedByText({ queuedBy }: { queuedBy?: QueuedBy | null }): JSX.Element | null {
  if (!queuedBy) return null
  const who = queuedByText(queuedBy)
  return (
    <span className="queued-by" title={queuedBy.kind === 'person' ? queuedBy.email : undefined}>
      by {who}
    </span>
  )
}
