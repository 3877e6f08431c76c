// zod models of the inbound domain: IMAP sync state, the unified inbox, messages, contact timelines.
// See ARCHITECTURE §5. The engine fills these from local SQLite only, so every read works offline.
import { z } from 'zod'
import { BusinessRecord, Id, IsoTime, Page } from './models'
import { AttachmentRefs } from './outbound'

export const Address = z.object({ name: z.string(), email: z.string() })
export type Address = z.infer<typeof Address>

export const SYNC_STATES = ['connecting', 'syncing', 'idle', 'offline', 'auth_error', 'error', 'disabled'] as const
export const SyncStatus = z.object({
  mailboxId: Id,
  objectId: Id,
  email: z.string(),
  /** idle = connected and waiting for mail (IDLE on INBOX); disabled = no IMAP configured or mailbox paused. */
  state: z.enum(SYNC_STATES),
  /** First sync of a folder: messages fetched so far out of the folder's total. Null when not syncing. */
  progress: z
    .object({
      folder: z.string(),
      done: z.number(),
      total: z.number(),
      /** Seconds left at the recent rate (issue 23); null until there is a rate to go on. */
      etaSeconds: z.number().nullable().optional(),
    })
    .nullable(),
  lastSyncAt: IsoTime.nullable(),
  /** Words for the user (auth failures stop retrying until the mailbox settings change). */
  error: z.string().nullable(),
  unread: z.number(),
})
export type SyncStatus = z.infer<typeof SyncStatus>

export const MessageSummary = z.object({
  id: Id,
  threadId: Id,
  objectId: Id,
  /** Null for an outbound row that has not come back through a Sent folder. */
  mailboxId: Id.nullable(),
  folder: z.string(),
  direction: z.enum(['in', 'out']),
  from: Address.nullable(),
  to: z.array(Address),
  cc: z.array(Address),
  subject: z.string(),
  snippet: z.string(),
  date: IsoTime,
  read: z.boolean(),
  flagged: z.boolean(),
  isAutoReply: z.boolean(),
  isBounce: z.boolean(),
  hasAttachments: z.boolean(),
  /** Set when the MIME could not be parsed: the raw source is kept and shown as text. */
  parseError: z.string().nullable(),
  /** The outbox row this is (our own sent mail) or replies to. */
  outboundId: Id.nullable(),
  contactIds: z.array(Id),
})
export type MessageSummary = z.infer<typeof MessageSummary>

export const InboxThread = z.object({
  ...BusinessRecord,
  subject: z.string(),
  latest: MessageSummary,
  messageCount: z.number(),
  unreadCount: z.number(),
  /** Display names (or addresses) of everyone in the thread except our own mailboxes, latest first. */
  participants: z.array(z.string()),
  contacts: z.array(z.object({ id: Id, name: z.string(), email: z.string() })),
  hasAttachments: z.boolean(),
  lastMessageAt: IsoTime,
})
export type InboxThread = z.infer<typeof InboxThread>

/** Which conversations a view shows: the inbox list pages through them; "mark all read" takes them without paging. */
const viewFilter = {
  objectId: Id.optional(),
  mailboxId: Id.optional(),
  contactId: Id.optional(),
  unread: z.boolean().optional(),
  direction: z.enum(['in', 'out']).optional(),
  /** Which mail: the inbox (default: conversations with mail in INBOX, or only in Sent), a special folder of
   *  every mailbox, or `all`. `folderId` (from folders.list) shows one folder of one mailbox instead. */
  folder: z.enum(['inbox', 'archive', 'trash', 'junk', 'sent', 'flagged', 'all']).optional(),
  folderId: Id.optional(),
  /** FTS5 query over subject, body, names and addresses. A syntax error is a VALIDATION on `query`. */
  query: z.string().trim().max(500).optional(),
}

export const ListInbox = z
  .object({
    ...viewFilter,
    /** Opaque; from the previous page's nextCursor. */
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
  .default({ limit: 50 })
export const InboxPage = z.object({
  threads: z.array(InboxThread),
  nextCursor: z.string().nullable(),
  /** Unread threads matching the filters except `unread` and `cursor`. */
  unreadThreads: z.number(),
  /** A search for a very common word counts unread matches only so far: unreadThreads is a lower bound (issue 23). */
  unreadThreadsAtLeast: z.boolean().optional(),
})
export type InboxPage = z.infer<typeof InboxPage>

export const Attachment = z.object({
  id: Id,
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  inline: z.boolean(),
  contentId: z.string().nullable(),
})
export type Attachment = z.infer<typeof Attachment>

export const MessageDetail = MessageSummary.extend({
  messageIdHeader: z.string().nullable(),
  replyTo: z.array(Address),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  /** Sanitised: no scripts, handlers, forms or iframes; remote images rewritten unless allowed. Show it
   *  in a sandboxed iframe without allow-scripts. */
  html: z.string().nullable(),
  text: z.string().nullable(),
  attachments: z.array(Attachment),
  /** The HTML refers to remote images that were blocked. */
  remoteImagesBlocked: z.boolean(),
  /** Remote images were allowed for this message or its sender. */
  remoteImagesAllowed: z.boolean(),
  /** The HTML broke a sanitising budget ('size' or 'depth'): `html` is null and `text` holds its words;
   *  messages.original has the source. */
  htmlOmitted: z.enum(['size', 'depth']).nullable(),
  /** The message has an HTML part messages.original can show. */
  hasHtmlSource: z.boolean(),
})
export type MessageDetail = z.infer<typeof MessageDetail>

/** The HTML source of a message, to show as text (never rendered), cut at `ORIGINAL_MAX_CHARS`. */
export const ORIGINAL_MAX_CHARS = 2_000_000
export const MessageOriginal = z.object({ source: z.string(), truncated: z.boolean(), totalChars: z.number().int() })
export type MessageOriginal = z.infer<typeof MessageOriginal>

export const ThreadDetail = z.object({ thread: InboxThread, messages: z.array(MessageSummary) })

export const MarkRead = z
  .object({
    ids: z.array(Id).min(1).max(10000).optional(),
    /** Every message of these conversations. */
    threadIds: z.array(Id).min(1).max(10000).optional(),
    /** Every conversation the inbox shows with these filters ("mark all read"). */
    filter: z.lazy(() => TriageFilter).optional(),
    read: z.boolean(),
  })
  .strict()
export const AllowRemoteImages = z.object({ id: Id, scope: z.enum(['message', 'sender']) }).strict()
export const LinkContact = z.object({ messageId: Id, contactId: Id, linked: z.boolean() }).strict()

/** Attachment bytes for a download (`<a download>`); attachments are never opened by the app. */
export const AttachmentContent = z.object({ filename: z.string(), contentType: z.string(), base64: z.string() })

export const TimelineItem = z.object({
  kind: z.enum(['inbound', 'outbound']),
  /** messages.id for mail, outbound_messages.id for outbox rows not yet seen in a Sent folder. */
  id: Id,
  messageId: Id.nullable(),
  outboundId: Id.nullable(),
  threadId: Id.nullable(),
  at: IsoTime,
  subject: z.string(),
  snippet: z.string(),
  /** Outbox status for outbound items; null for inbound. */
  status: z.string().nullable(),
  isAutoReply: z.boolean(),
  isBounce: z.boolean(),
})
export type TimelineItem = z.infer<typeof TimelineItem>
export const ContactTimeline = z
  .object({ contactId: Id, cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).default(100) })
  .strict()
export const TimelinePage = Page(TimelineItem)

/** Reply, reply-all or forward of a stored message, through the outbox from the contact's object profile. */
export const ReplyMail = z
  .object({
    messageId: Id,
    mode: z.enum(['reply', 'replyAll', 'forward']),
    /** Defaults: reply → the sender; reply-all → sender + others minus our own addresses; forward → required. */
    to: z.array(z.string().trim().max(320)).max(100).optional(),
    cc: z.array(z.string().trim().max(320)).max(100).optional(),
    bcc: z.array(z.string().trim().max(320)).max(100).optional(),
    attachments: AttachmentRefs.optional(),
    /** Forward: the original's files go too unless this is false (a draft keeps its own copies of them). */
    includeOriginalAttachments: z.boolean().optional(),
    /** The draft this reply was written in: hidden until the undo window closes, like mail.send's. */
    draftId: Id.optional(),
    html: z.string().max(2_000_000),
    /** Defaults to the active profile of the thread's object (the one the mail arrived in). */
    profileId: Id.optional(),
  })
  .strict()

// ------------------------------------------------------------------ triage (issue 20): folders, move, flag

export const FOLDER_ROLES = ['inbox', 'sent', 'drafts', 'archive', 'trash', 'junk', 'all', 'other'] as const
export type FolderRole = (typeof FOLDER_ROLES)[number]
export const Folder = z.object({
  id: Id,
  mailboxId: Id,
  /** Full IMAP path ("Projects/2026"); `name` is its last part. */
  path: z.string(),
  name: z.string(),
  /** RFC 6154 special use (or INBOX / a well-known name where the server does not say). */
  role: z.enum(FOLDER_ROLES),
  /** Unread received messages in it, from the local store (so local changes show at once). */
  unread: z.number(),
  total: z.number(),
  /** Its mail is synced (Drafts and All Mail are not). */
  synced: z.boolean(),
})
export type Folder = z.infer<typeof Folder>
export const ListFolders = z.object({ mailboxId: Id }).strict()

/** Where messages.move puts mail: a role resolved per mailbox (created on the server when missing), or one folder. */
export const MoveTarget = z.union([z.enum(['archive', 'trash', 'junk', 'inbox']), z.object({ folderId: Id }).strict()])
export type MoveTarget = z.infer<typeof MoveTarget>
/** `threadIds`: every message of the conversations except our own copies in Sent. Trash on mail already in Trash deletes it for good. */
export const MoveMessages = z
  .object({ ids: z.array(Id).min(1).max(10000).optional(), threadIds: z.array(Id).min(1).max(10000).optional(), to: MoveTarget })
  .strict()
export const FlagMessages = z
  .object({ ids: z.array(Id).min(1).max(10000).optional(), threadIds: z.array(Id).min(1).max(10000).optional(), flagged: z.boolean() })
  .strict()
export const TriageResult = z.object({ changed: z.number(), threadIds: z.array(Id) })
/** The list filters without paging, for "mark all read" over the current view. */
export const TriageFilter = z.object(viewFilter).strict()

// ---- the sync window (issue 23): mail kept only on the server, found and opened one message at a time
export const SearchServer = z
  .object({
    mailboxId: Id,
    query: z.string().trim().min(1, 'Type something to search for').max(200, 'At most 200 characters'),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
/** A match on the server that is not stored locally (outside the window). */
export const ServerHit = z.object({ uid: z.number(), folder: z.string(), subject: z.string(), from: Address.nullable(), date: IsoTime.nullable() })
export const ServerSearchPage = z.object({
  items: z.array(ServerHit),
  /** Matches not stored locally, over every folder searched (items holds the newest of them). */
  total: z.number(),
  folders: z.array(z.string()),
})
export type ServerSearchPage = z.infer<typeof ServerSearchPage>
export const OpenServerMessage = z.object({ mailboxId: Id, folder: z.string().min(1).max(1000), uid: z.number().int().min(1) }).strict()
export const OpenedServerMessage = z.object({ messageId: Id, threadId: Id })
export type OpenedServerMessage = z.infer<typeof OpenedServerMessage>
