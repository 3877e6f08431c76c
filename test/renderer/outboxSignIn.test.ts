// A scheduled message whose mailbox can't sign in warns before its time comes (derived from the mailbox's
// current status, so it clears when the mailbox is fixed).
import { describe, expect, it } from 'vitest'
import { signInWarning, type MailboxSignIn } from '../../src/renderer/src/lib/outbox'

const when = (iso: string) => `<${iso}>`
const scheduled = { status: 'queued' as const, createdAt: '2026-01-05T09:00:00.000Z', scheduledFor: '2026-01-06T09:00:00.000Z', transport: 'smtp' as const, mailboxId: 7 }
const box = (status: string, statusCode: string | null = 'AUTH'): MailboxSignIn => ({ id: 7, objectId: 1, email: 'desk@shop.test', status, statusCode })

describe('sign-in warning on scheduled messages', () => {
  it('a scheduled message of a mailbox that cannot sign in says fix it before its time', () => {
    expect(signInWarning(scheduled, box('auth_error'), when)).toBe('Mailbox can’t sign in: fix it before <2026-01-06T09:00:00.000Z>')
    expect(signInWarning(scheduled, box('auth_error', 'TLS_MISMATCH'), when)).toMatch(/^Mailbox can’t sign in/)
  })

  it('says nothing once the mailbox works, for other mailboxes, for messages going now, or for Mailgun', () => {
    expect(signInWarning(scheduled, box('active', null), when)).toBeNull()
    expect(signInWarning(scheduled, box('paused', null), when)).toBeNull()
    expect(signInWarning(scheduled, undefined, when)).toBeNull()
    expect(signInWarning({ ...scheduled, mailboxId: 8 }, box('auth_error'), when)).toBeNull()
    expect(signInWarning({ ...scheduled, scheduledFor: scheduled.createdAt }, box('auth_error'), when)).toBeNull()
    expect(signInWarning({ ...scheduled, status: 'held' }, box('auth_error'), when)).toBeNull()
    expect(signInWarning({ ...scheduled, transport: 'mailgun', mailboxId: null }, box('auth_error'), when)).toBeNull()
  })
})
