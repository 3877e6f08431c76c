// inbox.list: the unified inbox from local SQLite (works offline). A read: it never links or fixes anything.
import type { z } from 'zod'
import type { InboxPage, ListInbox } from '../../../shared/inbox'
import type { Ctx } from '../context'
import { listInbox as listThreads } from '../repos/inbox'

export const listInbox = (ctx: Ctx, input: z.output<typeof ListInbox>): InboxPage => listThreads(ctx, input)
