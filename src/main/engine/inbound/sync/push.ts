// What the app changed, pushed to the server at the start of every pass (so changes made offline go out on
// reconnect): moves first (UID MOVE, or COPY + EXPUNGE where MOVE is missing; target folders created when
// the server has none), then \Seen and \Flagged. Also records every folder the server lists.
import type { ImapFlow, ListResponse } from 'imapflow'
import type { Ctx } from '../../context'
import { stmt, stmtPluck } from '../../db/stmt'
import { DEFAULT_FOLDER, folderForRole, roleOf } from '../../repos/folders'
import { deleteMessages } from '../storeChanges'
import { refreshThreads } from '../thread'
import type { StoreApi } from './storeApi'

interface MoveOp {
  id: number
  messageId: number
  fromFolder: string
  fromUidvalidity: string
  fromUid: number
  toRole: string
  toFolder: string | null
}

/** Every folder in the LIST, with its special use; `synced` says which ones the worker fetches. */
export function recordFolders(ctx: Ctx, mailboxId: number, list: ListResponse[], synced: Map<string, 'inbox' | 'sent' | 'other'>): void {
  // Every full pass lists the folders: write only when something changed (a commit costs more than the look).
  const want = list
    .filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'))
    .map((f) => `${f.path}\u0000${f.name}\u0000${f.specialUse ?? ''}\u0000${synced.has(f.path) ? 1 : 0}`)
    .sort()
  const have = (
    stmtPluck(ctx.sqlite, "SELECT path || char(0) || coalesce(name, '') || char(0) || coalesce(special_use, '') || char(0) || synced AS k FROM sync_folders WHERE mailbox_id = ? AND listed = 1")
      .all(mailboxId) as string[]
  ).sort()
  if (want.length === have.length && want.every((k, i) => k === have[i])) return
  ctx.sqlite
    .transaction(() => {
      const up = stmt(
        ctx.sqlite,
        `INSERT INTO sync_folders (mailbox_id, path, role, name, special_use, listed, synced) VALUES (?, ?, ?, ?, ?, 1, ?)
         ON CONFLICT (mailbox_id, path) DO UPDATE SET name = excluded.name, special_use = excluded.special_use, listed = 1, synced = excluded.synced,
           role = CASE WHEN sync_folders.last_sync_at IS NULL THEN excluded.role ELSE sync_folders.role END`,
      )
      const seen: string[] = []
      for (const f of list) {
        if (f.flags.has('\\Noselect') || f.flags.has('\\NonExistent')) continue
        seen.push(f.path)
        const role = synced.get(f.path)
        up.run(mailboxId, f.path, role ?? (f.path.toUpperCase() === 'INBOX' ? 'inbox' : 'other'), f.name, f.specialUse ?? null, role ? 1 : 0)
      }
      stmt(ctx.sqlite, 'UPDATE sync_folders SET listed = 0 WHERE mailbox_id = ? AND path NOT IN (SELECT value FROM json_each(?))').run(mailboxId, JSON.stringify(seen))
    })
    .immediate()
}

export async function pushChanges(ctx: Ctx, client: ImapFlow, mailboxId: number, store: StoreApi, log: (m: string) => void): Promise<void> {
  await pushMoves(ctx, client, mailboxId, log)
  await pushFlags(ctx, client, mailboxId, store, log)
}

async function pushMoves(ctx: Ctx, client: ImapFlow, mailboxId: number, log: (m: string) => void): Promise<void> {
  const ops = stmt(
    ctx.sqlite,
    `SELECT id, message_id AS messageId, from_folder AS fromFolder, from_uidvalidity AS fromUidvalidity, from_uid AS fromUid,
            to_role AS toRole, to_folder AS toFolder FROM pending_moves WHERE mailbox_id = ? ORDER BY id`,
  ).all(mailboxId) as MoveOp[]
  if (!ops.length) return
  const groups = new Map<string, MoveOp[]>()
  for (const op of ops) {
    const dest = op.toRole === 'expunge' ? '' : destFor(ctx, mailboxId, op)
    const key = `${op.fromFolder}\u0000${op.fromUidvalidity}\u0000${op.toRole === 'expunge' ? 'expunge' : dest}`
    groups.set(key, [...(groups.get(key) ?? []), op])
  }
  const touched = new Set<number>()
  for (const [key, list] of groups) {
    const [from, uv, dest] = key.split('\u0000') as [string, string, string]
    let box
    try {
      box = await client.mailboxOpen(from)
    } catch (e) {
      if (!(e as { mailboxMissing?: boolean }).mailboxMissing) throw e
      box = null
    }
    if (!box || String(box.uidValidity) !== uv) {
      // The source folder is gone or renumbered: those UIDs mean nothing now. The next sync finds the mail
      // wherever it is; the app's copies wait as placeholders for it (and go if it never shows).
      ack(ctx, list)
      continue
    }
    const uids = list.map((o) => o.fromUid).join(',')
    if (dest === 'expunge') {
      await client.messageDelete(uids, { uid: true })
      ack(ctx, list)
      continue
    }
    let res = await client.messageMove(uids, dest, { uid: true })
    if (!res) {
      // Most likely [TRYCREATE]: the server has no such folder yet (no Archive: create one, as Thunderbird does).
      await createFolder(ctx, client, mailboxId, dest, list[0]!.toRole, log)
      await client.mailboxOpen(from)
      res = await client.messageMove(uids, dest, { uid: true })
      if (!res) throw new Error(`The server refused to move mail to ${dest}`)
    }
    const done = res
    log(`sync ${mailboxId}: moved ${from} ${few(list.map((o) => o.fromUid))} to ${dest}${done.uidMap ? ` as ${few(list.map((o) => done.uidMap?.get(o.fromUid) ?? '?'))}` : ''}`)
    ctx.sqlite
      .transaction(() => {
        const cur = stmt(ctx.sqlite, 'SELECT to_role AS toRole, to_folder AS toFolder FROM pending_moves WHERE id = ?')
        const gone: number[] = []
        for (const op of list) {
          const newUid = done.uidMap?.get(op.fromUid)
          const now = cur.get(op.id) as { toRole: string; toFolder: string | null } | undefined
          const still = now && now.toRole !== 'expunge' && destFor(ctx, mailboxId, { ...op, ...now }) === dest
          if (now && !still) {
            // Moved again in the app while this move was on the wire: the next move starts where it is now.
            if (newUid && done.uidValidity !== undefined)
              stmt(ctx.sqlite, 'UPDATE pending_moves SET from_folder = ?, from_uidvalidity = ?, from_uid = ? WHERE id = ?').run(dest, String(done.uidValidity), newUid, op.id)
            continue
          }
          stmt(ctx.sqlite, 'DELETE FROM pending_moves WHERE id = ?').run(op.id)
          const row = stmt(ctx.sqlite, 'SELECT thread_id AS t FROM messages WHERE id = ?').get(op.messageId) as { t: number } | undefined
          if (!row) continue
          if (newUid && done.uidValidity !== undefined) {
            stmt(ctx.sqlite, 'UPDATE messages SET folder = ?, uidvalidity = ?, uid = ?, stale = 0 WHERE id = ?').run(dest, String(done.uidValidity), newUid, op.messageId)
          } else if (done.uidMap) {
            // The server copied what it had and this was not among it: it was deleted elsewhere meanwhile.
            gone.push(op.messageId)
          } else {
            // No UIDPLUS: the next sync of the folder recognises the copy by its Message-ID (or fetches it anew).
            stmt(ctx.sqlite, 'UPDATE messages SET folder = ? WHERE id = ?').run(dest, op.messageId)
            if (!stmtPluck(ctx.sqlite, 'SELECT message_id FROM messages WHERE id = ?').get(op.messageId)) gone.push(op.messageId)
          }
          touched.add(row.t)
        }
        if (gone.length) deleteMessages(ctx, gone, touched)
        refreshThreads(ctx, touched)
      })
      .immediate()
  }
  if (touched.size) ctx.emit('inbox.changed', { threadIds: [...touched], newMessages: 0 })
}

/** The folder a queued move goes to now (a role resolves to what the server has, which may have changed since it was queued). */
function destFor(ctx: Ctx, mailboxId: number, op: Pick<MoveOp, 'toRole' | 'toFolder'>): string {
  if (op.toRole === 'folder' || op.toRole === 'inbox') return op.toFolder ?? 'INBOX'
  const role = op.toRole as 'archive' | 'trash' | 'junk'
  const found = folderForRole(ctx, mailboxId, role) ?? (role === 'archive' ? folderForRole(ctx, mailboxId, 'all') : null)
  return found?.path ?? op.toFolder ?? DEFAULT_FOLDER[role]
}

async function createFolder(ctx: Ctx, client: ImapFlow, mailboxId: number, path: string, role: string, log: (m: string) => void): Promise<void> {
  try {
    await client.mailboxCreate(path)
  } catch (e) {
    // ALREADYEXISTS is fine: another client made it meanwhile.
    if (!/exists/i.test(String((e as { responseText?: string }).responseText ?? (e as Error).message))) throw e
  }
  await client.mailboxSubscribe(path).catch(() => {})
  log(`sync ${mailboxId}: created folder ${path} for ${role}`)
  const su = roleOf(path, null) === 'other' ? null : `\\${role[0]!.toUpperCase()}${role.slice(1)}`
  stmt(
    ctx.sqlite,
    `INSERT INTO sync_folders (mailbox_id, path, role, name, special_use, listed, synced) VALUES (?, ?, 'other', ?, ?, 1, 1)
     ON CONFLICT (mailbox_id, path) DO UPDATE SET listed = 1, synced = 1`,
  ).run(mailboxId, path, path.split('/').pop(), su)
}

/** UIDs for a log line: a triage of thousands is one short line, not all of them. */
const few = (uids: Array<number | string>): string => (uids.length <= 8 ? uids.join(',') : `${uids.slice(0, 8).join(',')}… (${uids.length})`)

function ack(ctx: Ctx, list: MoveOp[]): void {
  stmt(ctx.sqlite, 'DELETE FROM pending_moves WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(list.map((o) => o.id)))
}

/** Queued \Seen and \Flagged changes, per folder and per flag. */
async function pushFlags(ctx: Ctx, client: ImapFlow, mailboxId: number, store: StoreApi, log: (m: string) => void): Promise<void> {
  const ops = store.pendingFlagOps(ctx, mailboxId)
  if (!ops.length) return
  const byFolder = new Map<string, typeof ops>()
  for (const op of ops) byFolder.set(op.folder, [...(byFolder.get(op.folder) ?? []), op])
  for (const [folder, list] of byFolder) {
    let box
    try {
      box = client.mailbox && client.mailbox.path === folder ? client.mailbox : await client.mailboxOpen(folder)
    } catch (e) {
      if ((e as { mailboxMissing?: boolean }).mailboxMissing) {
        store.ackFlagOps(ctx, list.map((o) => o.id)) // the folder is gone: nothing to set
        continue
      }
      throw e
    }
    const done: number[] = []
    for (const flag of ['\\Seen', '\\Flagged'] as const) {
      for (const set of [true, false]) {
        const current = list.filter((o) => o.flag === flag && o.set === set && o.uidValidity === box.uidValidity)
        if (!current.length) continue
        const uids = current.map((o) => o.uid).join(',')
        if (set) await client.messageFlagsAdd(uids, [flag], { uid: true })
        else await client.messageFlagsRemove(uids, [flag], { uid: true })
        log(`sync ${mailboxId}: ${set ? 'set' : 'cleared'} ${flag} on ${folder} ${few(current.map((o) => o.uid))}`)
        done.push(...current.map((o) => o.id))
      }
    }
    // Ops for an older uidvalidity point at messages that no longer exist under those UIDs.
    done.push(...list.filter((o) => o.uidValidity !== box.uidValidity).map((o) => o.id))
    store.ackFlagOps(ctx, done)
  }
}
