// The one place where every method and event is named. Transports, handlers and the renderer's rpc()
// all derive their types from this map, so a missing handler or a misspelt method is a compile error.
//
// Naming: an "object" here (objects.*, objectId) is what the app shows as a **business**: one of the
// businesses this desktop serves, with its sender profiles, mailboxes and contacts. The engine keeps the
// old word in method and field names so stored data and callers stay valid; every word a user reads
// says "business".
import { z } from 'zod'
import * as M from './models'
import * as I from './inbox'
import * as A from './automation'
import * as O from './outbound'
import * as S from './setupTest'
import * as B from './backups'
import * as F from './flows'
import * as SG from './segments'
import * as C from './crm'
// intake (issue 18 items 3 and 4)
import * as IN from './intake'
import * as T from './templates'
import * as DR from './dataRights'
import * as CH from './channels'
// team workspace on PostgreSQL (issue 22)
import * as TM from './team'

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
  'profiles.delete': write(byId, Deleted),
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
  /** All drafts, or (replyTo) the reply drafts of one message, so reopening a conversation brings them back. */
  'drafts.list': def(O.ListDrafts, z.array(O.Draft)),
  'drafts.get': def(byId, O.Draft),
  'drafts.delete': write(byId, Deleted),
  'drafts.send': write(O.SendDraft, O.OutboundMessage),
  /** Uploads one file for a draft; drafts.save, mail.send and messages.reply then name it by attachmentId. */
  'drafts.attach': write(O.NewAttachment, O.OutgoingAttachment),
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
  /** "Show original": the HTML source of a message as text (its formatting is over budget, or the user asks). */
  'messages.original': def(byId, I.MessageOriginal),
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

  // set-up that checks itself (issue 20): tries settings before they are saved; reads, so no write waits on a slow server
  'mailboxes.test': def(S.MailboxTest, S.MailboxTestResult),
  'mailgun.test': def(S.MailgunTest, S.MailgunTestResult),
  // data safety (issue 14): backups, restore, the integrity notice; the unread count for tray and badge
  'backups.list': def(M.Empty, B.BackupState),
  /** Starts a backup now (on its own thread) and answers at once; 'backups.changed' follows when done. */
  'backups.create': write(M.Empty, B.BackupState),
  /** Restarts the workspace on this backup (the current database is kept aside, never deleted). */
  'backups.restore': write(B.RestoreBackup, B.RestoreStarted),
  'backups.dismissNotice': write(M.Empty, B.BackupState),
  'badge.get': def(M.Empty, B.Badge),

  // flows (issue 16, seed 001): campaign graphs run by the engine
  'flows.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(F.Flow)),
  'flows.get': def(byId, F.Flow),
  'flows.create': write(F.NewFlow, F.Flow),
  /** Editing an active or paused flow makes a new version; leads already in it finish on theirs. */
  'flows.update': write(F.FlowPatch, F.Flow),
  'flows.delete': write(byId, Deleted),
  /** Refuses a graph that fails validation (VALIDATION, every problem in `fields`, each naming its node). */
  'flows.activate': write(byId, F.Flow),
  'flows.pause': write(byId, F.Flow),
  'flows.resume': write(byId, F.Flow),
  'flows.enroll': write(F.FlowEnroll, F.FlowEnrollResult),
  'flows.leads': def(F.ListFlowLeads, F.FlowLeadPage),
  'flows.stats': def(byId, F.FlowStats),
  'flows.validate': def(F.FlowValidateInput, F.FlowValidation),
  // Issue 17 item 7: a flow's text step previewed for a contact.
  'flows.previewText': def(F.FlowTextPreviewInput, F.FlowTextPreview),
  // CRM: segments and companies (issue 19)
  'segments.list': def(SG.ListSegments, z.array(SG.Segment)),
  'segments.create': write(SG.NewSegment, SG.Segment),
  'segments.update': write(SG.SegmentPatch, SG.Segment),
  'segments.delete': write(byId, Deleted),
  /** The count and a sample for rules not yet saved (the builder's live preview); a read. */
  'segments.preview': def(SG.PreviewSegment, SG.SegmentPreview),
  'companies.list': def(SG.ListCompanies, z.array(SG.Company)),
  'companies.get': def(byId, SG.CompanyDetail),
  'companies.create': write(SG.NewCompany, SG.Company),
  'companies.update': write(SG.CompanyPatch, SG.Company),
  'companies.delete': write(byId, Deleted),
  /** Puts contacts in a company by hand (companyId null takes them out). */
  'companies.assign': write(SG.AssignCompany, z.object({ changed: z.number() })),
  // the CRM around the mail (issue 19): notes, tasks and reminders, the contact page's timeline
  /** A contact's notes, pinned first; or with `query`, a full-text search over every note (notes_fts). */
  'notes.list': def(C.ListNotes, z.array(C.Note)),
  'notes.create': write(C.NewNote, C.Note),
  'notes.update': write(C.NotePatch, C.Note),
  'notes.delete': write(byId, Deleted),
  /** Buckets (overdue, today, upcoming) are cut in the business's time zone. */
  'tasks.list': def(C.ListTasks, C.TaskList),
  /** The sidebar badge: open tasks overdue and due later today. */
  'tasks.count': def(M.Empty, C.TaskCount),
  'tasks.create': write(C.NewTask, C.Task),
  'tasks.update': write(C.TaskPatch, C.Task),
  'tasks.complete': write(C.CompleteTask, C.Task),
  'tasks.delete': write(byId, Deleted),
  /** One story of a contact: mail both ways, notes, tasks and automation events, newest first. */
  'timeline.list': def(C.ListTimeline, C.TimelineEventsPage),
  'timeline.summary': def(z.object({ contactId: M.Id }).strict(), C.ContactSummary),
  // SMS and WhatsApp through Twilio (issue 17): settings per business (the token sealed, never returned)
  'twilio.get': def(z.object({ objectId: M.Id }).strict(), CH.TwilioSettings.nullable()),
  'twilio.upsert': write(CH.TwilioUpsert, CH.TwilioSettings),
  /** Refused (CONFLICT) while texts still wait to go through the account. */
  'twilio.remove': write(z.object({ objectId: M.Id }).strict(), z.object({ objectId: M.Id })),
  /** Asks Twilio's account endpoint with these (or the stored) credentials: {ok, code, message} like mailgun.test. */
  'twilio.test': def(CH.TwilioTest, CH.TwilioTestResult),
  /**
   * Texts a contact now on SMS or WhatsApp (the inbox's reply on the same channel, the contact page). An
   * opted-out contact's text is written `skipped` with the reason; WhatsApp free text outside the 24-hour
   * window is refused with CONFLICT, field 'whatsappWindow' (send `template` instead).
   */
  'texts.send': write(CH.SendText, O.OutboundMessage),
  /** The inbox's text conversations: one per contact and channel, newest first, with unread counts. */
  'texts.conversations': def(CH.ListConversations, z.array(CH.TextConversation)),
  /** One conversation both ways, oldest first, and (WhatsApp) the window's state for the composer. */
  'texts.conversation': def(CH.GetConversation, CH.ConversationDetail),
  'texts.markRead': write(CH.MarkConversationRead, z.object({ changed: z.number() })),
  /** Whether WhatsApp free text is allowed now (24 h since the contact's last WhatsApp message) and until when. */
  'texts.window': def(z.object({ contactId: M.Id }).strict(), CH.WhatsappWindow),
  /** Asks Twilio now for delivery status and received texts (otherwise polled every 15 s and 30 s). */
  'texts.poll': write(M.Empty, z.object({ statusChanged: z.number(), received: z.number() })),
  /**
   * One message to a contact over the best channel with fallback (seed 003): `channels` in order (default
   * email → WhatsApp → SMS), less those the contact cannot get; sent by urgency (critical now, high now
   * outside quiet hours, normal in business hours 9–18 in the contact's zone, low in the 09:00 daily batch);
   * each attempt is its own outbox row (attempts[]), the next only after the previous failed permanently.
   */
  'communications.send': write(CH.SendCommunication, CH.Communication),
  'communications.get': def(byId, CH.Communication),
  /** A contact's communications, newest first, each with its chain of attempts. */
  'communications.list': def(z.object({ contactId: M.Id, limit: z.number().int().min(1).max(200).default(50) }).strict(), z.array(CH.Communication)),
  /** Hours (in the contact's zone) when nothing but critical goes out; null switches them off. */
  'communications.setQuietHours': write(z.object({ objectId: M.Id, quietHours: CH.QuietHours.nullable() }).strict(), z.object({ objectId: M.Id, quietHours: CH.QuietHours.nullable() })),
  // end of the Twilio block
  // a contact's preferred channel (issue 17): communications.send without `channels` tries it first
  'communications.preference': def(z.object({ contactId: M.Id }).strict(), CH.ChannelPreference),
  'communications.setPreference': write(CH.ChannelPreference, CH.ChannelPreference),
  /** The business's WhatsApp templates (Twilio Content API, every page); UNAVAILABLE in words when Twilio cannot be asked. */
  'texts.templates': def(z.object({ objectId: M.Id }).strict(), z.array(CH.WhatsappTemplate)),

  // intake (issue 18): web-form e-mails into contacts by rules; receiving through Mailgun without a webhook
  'intake.rules.list': def(z.object({ objectId: M.Id.optional() }).strict().default({}), z.array(IN.IntakeRule)),
  'intake.rules.create': write(IN.NewIntakeRule, IN.IntakeRule),
  'intake.rules.update': write(IN.IntakeRulePatch, IN.IntakeRule),
  'intake.rules.delete': write(byId, Deleted),
  /** What a rule (saved or being edited) would do with a message already in the inbox; writes nothing. */
  'intake.rules.preview': def(IN.IntakePreviewInput, IN.IntakePreview),
  /** Recent inbound mail of a business, to try a rule on. */
  'intake.samples': def(IN.IntakeSamplesInput, z.array(IN.IntakeSample)),
  'intake.mailgun.get': def(z.object({ objectId: M.Id }).strict(), IN.MailgunInboundStatus),
  /** Receives the addresses' mail through a Mailgun store() route (created or adopted), polled from the events API. */
  'intake.mailgun.enable': write(IN.MailgunInboundEnable, IN.MailgunInboundStatus),
  'intake.mailgun.disable': write(z.object({ objectId: M.Id }).strict(), IN.MailgunInboundStatus),
  // template library and bulk sends (issue 18, seed 004)
  'templates.list': def(T.ListTemplates, z.array(T.TemplateSummary)),
  /** The latest version, or `version`; with the list of every version. */
  'templates.get': def(T.GetTemplate, T.Template),
  'templates.create': write(T.NewTemplate, T.Template),
  /** A change of content appends a version; queued mail keeps what it was written with. */
  'templates.update': write(T.TemplatePatch, T.Template),
  /** CONFLICT (in words) while messages from it are still waiting, until `confirm: true`. */
  'templates.delete': write(T.DeleteTemplate, Deleted),
  /** A saved version or unsaved content rendered for a contact, an address or a sample, as it would be sent. */
  'templates.render': def(T.RenderTemplate, A.TemplatePreview),
  /** One outbox row per recipient in one transaction; the same idempotencyKey returns the same job. */
  'mail.sendMany': write(T.SendMany, T.BulkJob),
  /** Who would be queued and who skipped and why, without writing anything. */
  'bulk.preview': def(T.BulkPreviewInput, T.BulkPreview),
  'bulk.list': def(T.ListBulkJobs, z.array(T.BulkJob)),
  'bulk.get': def(byId, T.BulkJob),
  // data rights (issue 18): a person's export and erase, the audit log, mail retention per business
  /** Writes one zip (JSON, mail with attachments, a readable summary) and records it in the audit log. */
  'contacts.export': write(DR.ExportContact, DR.ExportResult),
  /** What an erase removes and what stays, with counts, for the confirmation. */
  'contacts.erasePreview': def(byId, DR.ErasePreview),
  'contacts.erase': write(byId, z.object({ erased: z.literal(true) })),
  /** Consent per channel with its history (shared tables with the channels work, migration 0018). */
  'contacts.consent': def(byId, DR.ContactConsent),
  /** Staff record an answer by hand (source 'manual'); audited. */
  'contacts.setConsent': write(DR.SetContactConsent, DR.ContactConsent),
  /** Newest first; `cursor` is the previous page's nextCursor. */
  'audit.list': def(DR.ListAudit, DR.AuditPage),
  'retention.get': def(z.object({ objectId: M.Id }).strict(), DR.Retention),
  'retention.set': write(DR.SetRetention, DR.Retention),

  // the sync window (issue 23): searching the server for mail outside it, and fetching one such message
  /** Matches on the server (IMAP SEARCH over the synced folders) that are not stored locally. */
  'inbox.searchServer': def(I.SearchServer, I.ServerSearchPage),
  /** Fetches and stores one message found by inbox.searchServer; then it shows like any other. */
  'inbox.openServer': write(I.OpenServerMessage, I.OpenedServerMessage),

  // team workspace on PostgreSQL (issue 22)
  /** Makes this desktop's data the start of a new team workspace in the database (its role may create roles and tables). */
  'team.create': write(TM.CreateTeam, TM.TeamWorkspace),
  /** Joins a workspace from an empty desktop with the staff member's own role. */
  'team.join': write(TM.JoinTeam, TM.TeamWorkspace),
  'team.status': def(M.Empty, TM.TeamStatus),
  /** Pushes waiting changes and pulls the others' now (also runs on its own); answers the status after. */
  'team.sync': write(M.Empty, TM.TeamStatus),
  /** Admins only: a staff member with a PostgreSQL login role of their own. */
  'team.users.create': write(TM.NewTeamUser, z.object({ id: M.Id })),
  'team.users.list': def(M.Empty, z.array(TM.TeamUser)),
  /** Admins only: the sender profiles a member may send from (replaces theirs); enforced in PostgreSQL too. */
  'team.users.setProfiles': write(TM.SetTeamUserProfiles, TM.TeamUserProfiles),
  // leaving and removing (issue 22 item 1)
  /** This desktop leaves the workspace and works on its own again, keeping its data (CONFLICT while changes made here have not been pushed, unless force). */
  'team.leave': write(TM.LeaveTeam, TM.TeamLeft),
  /** Admins only: takes a member out (their PostgreSQL role may no longer sign in; their claims are released). */
  'team.users.remove': write(TM.RemoveTeamUser, TM.RemovedTeamUser),

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
  /** Leads moved in these flows (the editor's counts and lead lists reload). */
  'flows.changed': z.object({ flowIds: z.array(M.Id) }),
  // data safety (issue 14)
  'backups.changed': z.object({}),
  /** The unread conversation count moved (tray, dock and taskbar badge). */
  'badge.changed': B.Badge,
  /** Texts arrived (or their conversations changed) for these contacts (issue 17). */
  'texts.changed': z.object({ contactIds: z.array(M.Id) }),
  // CRM (issue 19)
  'segments.changed': z.object({}),
  'companies.changed': z.object({}),
  // the CRM (issue 19)
  'notes.changed': z.object({ contactId: M.Id }),
  'tasks.changed': z.object({ ids: z.array(M.Id) }),
  /** A task came due: sent once per task (tasks.reminded_at), caught up after the app was closed. */
  'tasks.due': z.object({ task: C.Task }),
  // intake (issue 18): rules changed, a form was handled, or a Mailgun poll ran
  'intake.changed': z.object({ objectId: M.Id.optional() }),
  // template library (issue 18)
  'templates.changed': z.object({}),
  // team workspace (issue 22): the replicator's state moved (status bar, Settings › Team)
  'team.status': TM.TeamStatus,
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
