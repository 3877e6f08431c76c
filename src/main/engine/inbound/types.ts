// The seam between the IMAP sync workers (sync/*.ts: fetch, parse in a worker thread, keep folder
// state) and the message store (store.ts: match, thread, classify, index, commit). The sync side
// only ever talks to the store through these types and the StoreApi functions of store.ts.
import type { PreparedBody } from './prepare'

export interface ParsedAddress {
  name: string
  /** Lower-cased, trimmed. */
  email: string
}

export interface ParsedAttachment {
  filename: string
  contentType: string
  size: number
  /** sha256 hex of the content: files on disk are deduplicated by it. */
  sha256: string
  contentId: string | null
  inline: boolean
  /** null once the parse thread has written the file (the bytes then do not cross back to the engine). */
  content: Buffer | null
}

/** One fetched message, parsed with mailparser off the main thread. */
export interface ParsedMessage {
  /** IMAP identity of this copy. */
  uid: number
  flags: string[]
  /** CONDSTORE MODSEQ of the message, when the server has it. */
  modseq: bigint | null
  internalDate: number
  size: number
  /** Message-ID header with angle brackets (`<x@y>`), or null if absent. */
  messageId: string | null
  inReplyTo: string | null
  /** References ids with angle brackets, oldest first. */
  references: string[]
  subject: string
  /** Date header (ms), falling back to the internal date. */
  date: number
  from: ParsedAddress | null
  to: ParsedAddress[]
  cc: ParsedAddress[]
  replyTo: ParsedAddress[]
  /** Every header, names lower-cased, values as decoded text, in order. */
  headers: Array<[name: string, value: string]>
  text: string | null
  /** As sent (kept for "Show original" and re-sanitising); `prepared` holds what is shown. */
  html: string | null
  attachments: ParsedAttachment[]
  /** multipart/report; report-type=delivery-status: what the report says failed. */
  dsn: { originalMessageId: string | null; recipients: Array<{ email: string; action: string; status: string; diagnostic: string | null }> } | null
  /** Set when mailparser failed or gave up: `raw` then holds the source and the rest is best effort. */
  parseError: string | null
  raw: Buffer | null
  /** Sanitised HTML, its text and the snippet, worked out in the parse thread (the store works it out
   *  itself when absent, e.g. for a message the pool gave up on). */
  prepared?: PreparedBody
}

/** Where a batch came from. `folderRole` tells the store what direction the mail has. */
export interface FolderRef {
  mailboxId: number
  /** IMAP path, e.g. "INBOX", "Sent". */
  folder: string
  folderRole: 'inbox' | 'sent' | 'other'
  /** Trash and Junk: their mail is stored but never counts as new (no notification for spam). */
  quiet?: boolean
  uidValidity: bigint
}

export interface FlagUpdate {
  uid: number
  flags: string[]
  modseq: bigint | null
}

/** A \Seen (read) or \Flagged (star) change made in the app, waiting to be pushed to the server (queued while offline). */
export interface PendingFlagOp {
  id: number
  mailboxId: number
  folder: string
  uid: number
  uidValidity: bigint
  flag: '\\Seen' | '\\Flagged'
  set: boolean
}

/**
 * What store.ts exports for the sync workers. All functions are synchronous and each runs in one
 * transaction; they emit `inbox.changed` themselves after commit.
 *
 *   storeMessages(ctx, ref, messages): { stored: number; duplicates: number }
 *       Idempotent per (mailboxId, folder, uidValidity, uid): a batch fetched twice stores nothing twice.
 *   applyFlags(ctx, ref, updates): number              // messages whose read/flagged state changed
 *   removeMissing(ctx, ref, presentUids: number[] | { below: number, present: number[] }): number
 *   resetFolder(ctx, ref): void                        // uidvalidity changed: drop this folder's copies
 *   pendingFlagOps(ctx, mailboxId): PendingFlagOp[]
 *   ackFlagOps(ctx, ids: number[]): void
 */
