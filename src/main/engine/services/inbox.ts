// inbox.list: the unified inbox from local SQLite (works offline). A read: it never links or fixes anything.
// inbox.searchServer / inbox.openServer: mail kept only on the server, outside the sync window (issue 23).
import type { z } from 'zod'
import type { InboxPage, ListInbox, OpenedServerMessage, ServerSearchPage } from '../../../shared/inbox'
import type { Ctx } from '../context'
import { storeMessages } from '../inbound/store'
import { openServerMessage, searchServer as searchOnServer } from '../inbound/sync/server'
import { listInbox as listThreads } from '../repos/inbox'

export const listInbox = (ctx: Ctx, input: z.output<typeof ListInbox>): InboxPage => listThreads(ctx, input)

/** Matches on the server not stored locally (a read: nothing is stored until one is opened). */
export const searchServer = (ctx: Ctx, input: { mailboxId: number; query: string; limit: number }): Promise<ServerSearchPage> =>
  searchOnServer(ctx, input.mailboxId, input.query, input.limit)

/** Fetches and stores one message found on the server; it then shows like any other. */
export const openServer = (ctx: Ctx, input: { mailboxId: number; folder: string; uid: number }): Promise<OpenedServerMessage> =>
  openServerMessage(ctx, { storeMessages }, input.mailboxId, input.folder, input.uid)
