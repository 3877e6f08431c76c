// folders.*: a mailbox's folders (services/folders.ts).
import type { HandlersFor } from '../context'
import { listFolders } from '../services/folders'

export const foldersHandlers: HandlersFor<'folders'> = {
  'folders.list': (ctx, { mailboxId }) => listFolders(ctx, mailboxId),
}
