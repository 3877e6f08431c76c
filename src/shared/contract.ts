// The one place where every method and event is named. Transports, handlers and the renderer's rpc()
// all derive their types from this map, so a missing handler or a misspelt method is a compile error.
import { z } from 'zod'
import * as M from './models'
import * as I from './inbox'
import * as A from './automation'
import * as O from './outbound'

interface MethodDef {
  input: z.ZodType
  output: z.ZodType
  /** Writes are serialised through one queue in dispatch. */
  write?: true
  /** Only exists when the engine runs on a test clock (`--clock test`); unknown otherwise. */
  testOnly?: true
}
const def = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })
const write = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output, write: true as const })
const byId = z.object({ id: M.Id }).strict()
const Deleted = z.object({ id: M.Id, deleted: z.literal(true) })

export const contract = {
  'app.info': def(M.Empty, M.AppInfo),
  'app.seedDemo': write(M.Empty, z.object({ objects: z.number(), contacts: z.number() })),

  'objects.list': def(M.Empty, z.array(M.BizObject)),
  'objects.create': write(M.NewObject, M.BizObject),
  'objects.update': write(M.ObjectPatch, M.BizObject),
  'objects.delete': write(byId, Deleted),
  'mailgun.upsert': write(M.MailgunUpsert, M.MailgunSettings),
  'mailgun.remove': write(z.object({ objectId: M.Id }).strict(), z.object({ objectId: M.Id })),

  'mailboxes.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(M.Mailbox)),
  'mailboxes.create': write(M.NewMailbox, M.Mailbox),
  'mailboxes.update': write(M.MailboxPatch, M.Mailbox),
  'mailboxes.delete': write(byId, Deleted),

  'profiles.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(M.Profile)),
  'profiles.create': write(M.NewProfile, M.Profile),
  'profiles.update': write(M.ProfilePatch, M.Profile),
  'profiles.assign': write(M.ProfileAssign, M.User),

  'users.list': def(M.Empty, z.array(M.User)),
  'users.create': write(M.NewUser, M.User),
  /** Who is at the keyboard: compose offers only this user's assigned profiles. */
  'users.setCurrent': write(z.object({ id: M.Id.nullable() }).strict(), z.object({ currentUserId: M.Id.nullable() })),

  'contacts.list': def(M.ListContacts, M.ContactPage),
  'contacts.get': def(byId, M.Contact),
  'contacts.create': write(M.NewContact, M.Contact),
  'contacts.update': write(M.ContactPatch, M.Contact),
  'contacts.delete': write(z.object({ ids: z.array(M.Id).min(1).max(100000) }).strict(), z.object({ deleted: z.number() })),
  'contacts.addTag': write(M.TagChange, z.object({ changed: z.number() })),
  'contacts.removeTag': write(M.TagChange, z.object({ changed: z.number() })),
  'contacts.import': write(M.ImportContacts, M.ImportResult),

  'tags.list': def(M.Empty, z.array(M.Tag)),
  'tags.create': write(M.NewTag, M.Tag),

  'mail.send': write(O.SendMail, O.OutboundMessage),
  'drafts.save': write(O.SaveDraft, O.Draft),
  'drafts.list': def(M.Empty, z.array(O.Draft)),
  'drafts.get': def(byId, O.Draft),
  'drafts.delete': write(byId, Deleted),
  'drafts.send': write(O.SendDraft, O.OutboundMessage),
  'outbox.list': def(O.ListOutbox, O.OutboxPage),
  'outbox.get': def(byId, O.OutboundDetail),
  'outbox.retry': write(byId, O.OutboundMessage),
  'outbox.cancel': write(byId, O.OutboundMessage),
  /** Undo send: pulls a queued message back into drafts while its undo window is open. */
  'outbox.undo': write(byId, O.Draft),
  'net.status': def(M.Empty, O.NetStatus),

  // inbound (ARCHITECTURE §5): read from local SQLite, so they answer offline
  'inbox.list': def(I.ListInbox, I.InboxPage),
  'threads.get': def(byId, I.ThreadDetail),
  'messages.get': def(byId, I.MessageDetail),
  /** Sets or clears \Seen locally at once and on the server (queued while offline). */
  'messages.markRead': write(I.MarkRead, z.object({ changed: z.number() })),
  'messages.allowRemoteImages': write(I.AllowRemoteImages, I.MessageDetail),
  /** A manual link (or unlink) beats automatic address matching. */
  'messages.linkContact': write(I.LinkContact, I.MessageSummary),
  'messages.reply': write(I.ReplyMail, O.OutboundMessage),
  // inbox triage (issue 20)
  'messages.move': write(I.MoveMessages, I.TriageResult),
  'messages.flag': write(I.FlagMessages, I.TriageResult),
  'folders.list': def(I.ListFolders, z.array(I.Folder)),
  'attachments.content': def(byId, I.AttachmentContent),
  'mailboxes.sync': write(z.object({ mailboxId: M.Id }).strict(), I.SyncStatus),
  'sync.status': def(M.Empty, z.array(I.SyncStatus)),
  'contacts.timeline': def(I.ContactTimeline, I.TimelinePage),

  // automation (ARCHITECTURE §6)
  'templates.preview': def(A.TemplatePreviewInput, A.TemplatePreview),
  'autoresponders.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(A.Autoresponder)),
  'autoresponders.create': write(A.NewAutoresponder, A.Autoresponder),
  'autoresponders.update': write(A.AutoresponderPatch, A.Autoresponder),
  'autoresponders.delete': write(byId, Deleted),
  'autoresponders.executions': def(A.ListExecutions, z.array(A.Execution)),
  'sequences.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(A.Sequence)),
  'sequences.get': def(byId, A.Sequence),
  'sequences.create': write(A.NewSequence, A.Sequence),
  'sequences.update': write(A.SequencePatch, A.Sequence),
  'sequences.delete': write(byId, Deleted),
  'sequences.enroll': write(A.Enroll, A.EnrollResult),
  'sequences.contacts': def(A.ListSequenceContacts, A.SequenceContactPage),
  'sequences.pause': write(A.SequenceControl, A.Sequence),
  'sequences.resume': write(A.SequenceControl, A.Sequence),
  'analytics.summary': def(A.AnalyticsInput, A.AnalyticsSummary),
  'analytics.funnel': def(z.object({ sequenceId: M.Id }).strict(), A.SequenceFunnel),

  'clock.advance': { ...write(z.object({ ms: z.number().int().min(0).max(400 * 86_400_000) }).strict(), z.object({ now: M.IsoTime })), testOnly: true as const },
} as const satisfies Record<string, MethodDef>

/** Events pushed from the engine to every connected renderer. */
export const events = {
  'objects.changed': z.object({}),
  'contacts.changed': z.object({ ids: z.array(M.Id).optional() }),
  'tags.changed': z.object({}),
  'outbox.changed': z.object({ ids: z.array(M.Id) }),
  'drafts.changed': z.object({}),
  'net.status': O.NetStatus,
  'sync.status': I.SyncStatus,
  /** New or changed mail; `newMessages` counts inbound arrivals (for the new-mail notification). */
  'inbox.changed': z.object({ threadIds: z.array(M.Id), newMessages: z.number() }),
  'automation.changed': z.object({ kind: z.enum(['autoresponders', 'sequences']) }),
} as const satisfies Record<string, z.ZodType>

export type Contract = typeof contract
export type Method = keyof Contract
export type Input<K extends Method> = z.input<Contract[K]['input']>
export type ParsedInput<K extends Method> = z.output<Contract[K]['input']>
export type Output<K extends Method> = z.output<Contract[K]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>

export const isMethod = (name: unknown): name is Method => typeof name === 'string' && Object.hasOwn(contract, name)
export const isWrite = (name: Method): boolean => 'write' in contract[name]
export const isTestOnly = (name: Method): boolean => 'testOnly' in contract[name]
