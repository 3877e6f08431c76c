// Engine-internal events between domains (contacts → autoresponders, outbox/inbox → sequences).
// Unlike ctx.emit (pushed to renderers after the fact), a hook listener runs synchronously inside the
// emitter's transaction, so whatever it writes commits or rolls back together with the cause:
// "each firing writes an execution and an outbound row in one transaction", "the next step is
// scheduled in the same transaction that records the current one as sent".
// Listeners must be synchronous and must not throw for expected conditions (record a FAILED/SKIPPED
// row instead); a throw rolls back the emitter's transaction.
import type { MessageSource, OutboxStatus } from '../../shared/outbound'

export interface HookEvents {
  /** Contacts were created (contacts.create, contacts.import). */
  'contacts.created': { ids: number[] }
  /** A tag was newly added to these contacts (already-tagged contacts are not listed). */
  'contacts.tagged': { contactIds: number[]; tagId: number }
  /** A contact unsubscribed or complained (Mailgun events, inbound unsubscribe mail, or by hand). */
  'contacts.unsubscribed': { contactId: number; reason: string }
  /** An outbox row changed status (repos/outbox.ts transition): sent, failed, retry_wait, bounced, … */
  'outbound.status': { id: number; status: OutboxStatus; event: string; detail: string | null; source: MessageSource }
  /** A real reply (not an auto-reply) to one of our outbound messages was synced. */
  'outbound.replied': { outboundId: number; contactId: number | null; messageId: number }
  /** A bounce for one of our outbound messages (DSN over IMAP, or Mailgun's permanent failure). */
  'outbound.bounced': { outboundId: number | null; contactId: number | null; email: string }
  // the CRM (issue 19)
  /** A real inbound message (not an auto-reply or bounce) was stored and linked to these contacts. */
  'messages.received': { messageId: number; contactIds: number[]; date: number }
  /** Tasks were created or their due time changed: the reminder loop re-reads its next time. */
  'tasks.scheduled': { ids: number[] }
}
export type HookName = keyof HookEvents

// Contacts' addresses (issue 15: stored mail is linked to contacts on the write side, not when read).
export interface HookEvents {
  /** Contacts were created or imported, or their email addresses (or the business they are matched in) changed. */
  'contacts.emailsChanged': { contactIds: number[] }
}

// intake (issue 18)
export interface HookEvents {
  /** A new inbound message (IMAP or Mailgun, not a bounce, not Junk/Trash) was stored, inside the store's transaction: intake runs once on it. */
  'messages.stored': { messageId: number; objectId: number }
  /** Receiving through Mailgun was switched on or off for a business: the poller wakes. */
  'intake.mailgunChanged': { objectId: number }
}

// texts (issue 17 item 7)
export interface HookEvents {
  /**
   * A text (SMS or WhatsApp) from a known contact was stored by the inbound poll, inside its transaction:
   * a reply by text, like a reply by mail (STOP/START keywords are consent, not replies, and are not sent here).
   * `outboundId`: our latest text to the contact on that channel, when there is one.
   */
  'texts.received': { contactId: number; channel: 'sms' | 'whatsapp'; textId: number; outboundId: number | null }
}

// team workspace (issues 18 and 22)
export interface HookEvents {
  /**
   * Ops from another desktop were applied, and among them the keys of messages it erased at a person's request
   * (this desktop's copies go too) or the person's blocks (they are cut out of the mail that stays). Emitted
   * after the apply's transaction: the erase here runs its own, then tidies.
   */
  'team.erasedMessages': { keys: Set<string>; blocks: Array<{ objectId: number | null; key: string }> }
}

export interface Hooks {
  on<K extends HookName>(name: K, listener: (payload: HookEvents[K]) => void): () => void
  emit<K extends HookName>(name: K, payload: HookEvents[K]): void
}

export function createHooks(): Hooks {
  const listeners = new Map<HookName, Set<(p: never) => void>>()
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set()
      listeners.set(name, set)
      set.add(listener as (p: never) => void)
      return () => set.delete(listener as (p: never) => void)
    },
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) (l as (p: typeof payload) => void)(payload)
    },
  }
}
