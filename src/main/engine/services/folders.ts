// folders.list: a mailbox's folders with their roles and counts.
import type { Folder } from '../../../shared/inbox'
import type { Ctx } from '../context'
import { listFolders as foldersOf } from '../repos/folders'

export const listFolders = (ctx: Ctx, mailboxId: number): Folder[] => foldersOf(ctx, mailboxId)
