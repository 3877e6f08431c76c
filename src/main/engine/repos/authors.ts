// Who did what (issue 22 item 5, migration 0037): the person at this desktop, and the people behind contacts and
// outbox rows. Rows keep the staff member's e-mail (it replicates, and means the same person on every desktop);
// names come from the users table, which a team workspace replicates too.
import { AUTOMATION_KINDS, type Author, type AutomationKind, type QueuedBy } from '../../../shared/authors'
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import { settingKeys } from './settings'

/**
 * The e-mail of the person making a change here: the team member signed in on this desktop, or on a solo desktop
 * the current user chosen with users.setCurrent; null when nobody is chosen (then nothing is shown).
 */
export function actorEmail(ctx: Ctx): string | null {
  const r = stmt(
    ctx.sqlite,
    `SELECT coalesce((SELECT user_email FROM team_state WHERE id = 1),
       (SELECT u.email FROM app_settings s JOIN users u ON u.id = CAST(s.value AS INTEGER) WHERE s.key = ?)) AS e`,
  ).get(settingKeys.currentUser) as { e: string | null } | undefined
  return r?.e ?? null
}

/** Names by lower-cased e-mail, for the given e-mails (one query whatever their number). */
export function namesByEmail(ctx: Ctx, emails: Array<string | null | undefined>): Map<string, string> {
  const wanted = [...new Set(emails.filter((e): e is string => Boolean(e)).map((e) => e.toLowerCase()))]
  if (!wanted.length) return new Map()
  const rows = stmt(ctx.sqlite, 'SELECT lower(email) AS e, name FROM users WHERE lower(email) IN (SELECT value FROM json_each(?))').all(JSON.stringify(wanted)) as Array<{ e: string; name: string }>
  return new Map(rows.map((r) => [r.e, r.name]))
}

export const authorOf = (names: Map<string, string>, email: string | null | undefined): Author | null =>
  email ? { email, name: names.get(email.toLowerCase()) || email } : null

/**
 * Who queued each of these outbox rows: the person its created_by names or, for automation, the sequence, flow or
 * autoresponder that wrote it (its name when this desktop has it). Rows with neither are left out.
 */
export function queuedByOf(ctx: Ctx, ids: number[]): Map<number, QueuedBy> {
  const out = new Map<number, QueuedBy>()
  if (!ids.length) return out
  const rows = stmt(
    ctx.sqlite,
    `SELECT o.id, o.source, o.created_by AS email,
       CASE o.source
         WHEN 'sequence' THEN (SELECT json_array(s.id, s.name) FROM sequence_messages sm JOIN sequences s ON s.id = sm.sequence_id WHERE sm.outbound_id = o.id)
         WHEN 'autoresponder' THEN (SELECT json_array(a.id, a.name) FROM autoresponder_executions ae JOIN autoresponders a ON a.id = ae.autoresponder_id WHERE ae.outbound_id = o.id LIMIT 1)
         WHEN 'flow' THEN (SELECT json_array(f.id, f.name) FROM flow_lead_events e JOIN flow_leads l ON l.id = e.lead_id JOIN flows f ON f.id = l.flow_id WHERE e.outbound_id = o.id LIMIT 1)
       END AS automation
     FROM outbound_messages o WHERE o.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids)) as Array<{ id: number; source: string; email: string | null; automation: string | null }>
  const names = namesByEmail(ctx, rows.map((r) => r.email))
  for (const r of rows) {
    if (r.email) out.set(r.id, { kind: 'person', ...authorOf(names, r.email)! })
    else if ((AUTOMATION_KINDS as readonly string[]).includes(r.source)) {
      const [id, name] = r.automation ? (JSON.parse(r.automation) as [number, string]) : [null, null]
      out.set(r.id, { kind: r.source as AutomationKind, id, name })
    }
  }
  return out
}

/** Sources a person queues by hand (compose, a reply, a bulk send); the others are automation's. */
const PERSON_SOURCES: readonly string[] = ['compose', 'reply', 'bulk']

/** created_by of a new outbox row: the person at this desktop when a person queued it, else null. */
export const queuerEmail = (ctx: Ctx, source: string | undefined): string | null => (PERSON_SOURCES.includes(source ?? 'compose') ? actorEmail(ctx) : null)
