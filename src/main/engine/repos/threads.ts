// Queries of conversations: a thread with its latest message, participants and contacts (the inbox list's
// rows), and one thread with every message (threads.get). Threads carry denormalised counts, so a page is
// one indexed walk over threads plus a few point lookups per page.
import type { InboxThread, MessageSummary } from '../../../shared/inbox'
import { notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { MESSAGE_COLS, summaryOf, toSummary, type MessageRow } from './messages'

export interface ThreadRow {
  id: number
  objectId: number
  subject: string
  lastMessageAt: number
  latestMessageId: number | null
  messageCount: number
  unreadCount: number
  hasAttachments: number
}
export const THREAD_COLS = `t.id, t.object_id AS objectId, t.subject, t.last_message_at AS lastMessageAt, t.latest_message_id AS latestMessageId,
  t.message_count AS messageCount, t.unread_count AS unreadCount, t.has_attachments AS hasAttachments`

/** A page of threads in four queries (not four per thread): latest messages, their contacts, participants, contacts. */
export function toThreads(ctx: Ctx, threads: ThreadRow[]): InboxThread[] {
  if (threads.length === 0) return []
  const tids = JSON.stringify(threads.map((t) => t.id))
  const latestIds = JSON.stringify(threads.map((t) => t.latestMessageId))
  const latest = new Map(
    (stmt(ctx.sqlite, `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`).all(latestIds) as MessageRow[]).map((r) => [r.id, r]),
  )
  const linked = new Map<number, number[]>()
  for (const r of stmt(
    ctx.sqlite,
    'SELECT message_id AS m, contact_id AS c FROM message_contacts WHERE message_id IN (SELECT value FROM json_each(?)) AND linked = 1 ORDER BY contact_id',
  ).all(latestIds) as Array<{ m: number; c: number }>) {
    linked.set(r.m, [...(linked.get(r.m) ?? []), r.c])
  }
  // Who each thread is with: senders of inbound mail, recipients of ours; latest first.
  const participants = new Map<number, string[]>()
  for (const r of stmt(
    ctx.sqlite,
    `SELECT t, direction, n, e, tj FROM (
       SELECT thread_id AS t, direction, from_name AS n, from_email AS e, to_json AS tj,
              row_number() OVER (PARTITION BY thread_id ORDER BY date DESC, id DESC) AS rn
         FROM messages WHERE thread_id IN (SELECT value FROM json_each(?))) WHERE rn <= 20 ORDER BY t, rn`,
  ).all(tids) as Array<{ t: number; direction: string; n: string; e: string | null; tj: string }>) {
    const list = participants.get(r.t) ?? []
    participants.set(r.t, list)
    const add = (name: string, email: string | null) => {
      const label = name.trim() || email || ''
      if (label && !list.includes(label)) list.push(label)
    }
    if (r.direction === 'in') add(r.n, r.e)
    else for (const a of JSON.parse(r.tj) as Array<{ name: string; email: string }>) add(a.name, a.email)
  }
  const contacts = new Map<number, Array<{ id: number; name: string; email: string }>>()
  for (const r of stmt(
    ctx.sqlite,
    `SELECT DISTINCT m.thread_id AS t, c.id, trim(c.first_name || ' ' || c.last_name) AS name, coalesce(c.email, '') AS email
       FROM messages m JOIN message_contacts mc ON mc.message_id = m.id AND mc.linked = 1 JOIN contacts c ON c.id = mc.contact_id
      WHERE m.thread_id IN (SELECT value FROM json_each(?))`,
  ).all(tids) as Array<{ t: number; id: number; name: string; email: string }>) {
    const list = contacts.get(r.t) ?? []
    contacts.set(r.t, list)
    if (list.length < 10) list.push({ id: r.id, name: r.name, email: r.email })
  }
  return threads.filter((t) => latest.has(t.latestMessageId!)).map((t) => ({
    id: t.id,
    objectId: t.objectId,
    subject: t.subject,
    latest: summaryOf(latest.get(t.latestMessageId!)!, linked.get(t.latestMessageId!) ?? []),
    messageCount: t.messageCount,
    unreadCount: t.unreadCount,
    participants: (participants.get(t.id) ?? []).slice(0, 10),
    contacts: contacts.get(t.id) ?? [],
    hasAttachments: t.hasAttachments === 1,
    lastMessageAt: iso(t.lastMessageAt),
  }))
}

export function getThread(ctx: Ctx, id: number): { thread: InboxThread; messages: MessageSummary[] } {
  const t = stmt(ctx.sqlite, `SELECT ${THREAD_COLS} FROM threads t WHERE t.id = ?`).get(id) as ThreadRow | undefined
  if (!t || t.latestMessageId === null) throw notFound('Thread', id)
  const rows = stmt(ctx.sqlite, `SELECT ${MESSAGE_COLS} FROM messages m WHERE m.thread_id = ? ORDER BY m.date, m.id`).all(id) as MessageRow[]
  const thread = toThreads(ctx, [t])[0]
  if (!thread) throw notFound('Thread', id)
  return { thread, messages: rows.map((r) => toSummary(ctx, r)) }
}
