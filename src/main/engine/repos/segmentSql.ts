// The segment compiler: validated rules → ONE parameterised SQL condition over `contacts c`, never a
// filter in JS. Values only ever travel as parameters; field names map to fixed column expressions.
// Two forms of the same condition, because counting and paging want opposite plans:
// - 'count' (counts, enrolment): columns as they are, so the narrow covering contacts_segment_idx answers
//   business, status and dates without reading contact rows; tags and engagement events as `c.id IN (…)`,
//   materialised once and probed per entry.
// - 'walk' (a grid page, one contact): every column behind a unary + so no index but the grid's sort index
//   is used, and tags and events as per-row EXISTS probes: the page walks the sort order and stops once full.
import { kindOf, resolveDate, type Group, type RelDate, type Rule } from '../../../shared/segments'

export interface SqlPart {
  sql: string
  params: unknown[]
}

const DAY_MS = 86_400_000

const TEXT_COLUMNS: Record<string, string> = {
  email: "ifnull(c.email, '')",
  name: "trim(c.first_name || ' ' || c.last_name)",
  firstName: 'c.first_name',
  lastName: 'c.last_name',
  company: 'c.company',
  phone: 'c.phone',
  timezone: "ifnull(c.timezone, '')",
}
const DATE_COLUMNS: Record<string, string> = { lastInboundAt: 'c.last_inbound_at', lastOutboundAt: 'c.last_outbound_at', createdAt: 'c.created_at' }
const EVENT_TYPES: Record<string, string> = { replied: "'replied'", opened: "'opened', 'clicked'" }
/** Repeats migration 0015's partial-index WHERE, so the planner may use message_events_engagement_idx. */
const ENGAGEMENT = "e.type IN ('replied', 'opened', 'clicked')"

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`)
/** A date-only "to" means the whole day. */
const toBound = (v: RelDate, now: number) => resolveDate(v, now) + (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? DAY_MS : 0)

export type Mode = 'count' | 'walk'

function compileRule(rule: Rule, now: number, mode: Mode): SqlPart {
  const { field, op, value } = rule
  const kind = kindOf(field)
  const walk = mode === 'walk'
  const col = (expr: string) => (walk ? `+${expr}` : expr)
  /** Contacts in `sub` (a query of contact ids where `row` names this contact's id). */
  const member = (sub: (row: string) => string, not: boolean): string =>
    // "+c.id": never drive the count from the id list by rowid (a wide-row read each; ANALYZE picks that
    // plan for big tags); the covering index pass probes the list instead, bounded whatever the tag's size.
    walk ? `${not ? 'NOT ' : ''}EXISTS (${sub('c.id')})` : `+c.id ${not ? 'NOT IN' : 'IN'} (${sub('')})`
  switch (kind) {
    case 'tag': {
      const sub = (row: string) => `SELECT contact_id FROM contact_tags WHERE tag_id = ?${row ? ` AND contact_id = ${row}` : ''}`
      return { sql: member(sub, op === 'notHas'), params: [value] }
    }
    case 'status':
      return { sql: op === 'is' ? `${col('c.status')} = ?` : `${col('c.status')} <> ?`, params: [value] }
    case 'object':
    case 'companyId': {
      const c = col(kind === 'object' ? 'c.primary_object_id' : 'c.company_id')
      if (op === 'isEmpty') return { sql: `${c} IS NULL`, params: [] }
      if (op === 'isNotEmpty') return { sql: `${c} IS NOT NULL`, params: [] }
      return { sql: op === 'is' ? `${c} = ?` : `${c} IS NOT ?`, params: [value] }
    }
    case 'text': {
      const custom = field.startsWith('fields.')
      const col = custom ? "ifnull(json_extract(c.fields_json, ?), '')" : TEXT_COLUMNS[field]!
      // Text tests read the row anyway; only the exact email match may use an index, and not when walking.
      const colParams = custom ? [`$."${field.slice(7)}"`] : []
      const v = String(value ?? '').trim()
      const like = (pattern: string, not = false): SqlPart => ({ sql: `${col} ${not ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\'`, params: [...colParams, pattern] })
      switch (op) {
        case 'equals':
          // Emails are stored lower-case: an exact match can use contacts_email_idx.
          return field === 'email' ? { sql: `${walk ? '+' : ''}c.email = ?`, params: [v.toLowerCase()] } : { sql: `${col} = ? COLLATE NOCASE`, params: [...colParams, v] }
        case 'notEquals':
          return { sql: `${col} <> ? COLLATE NOCASE`, params: [...colParams, v] }
        case 'contains':
          return like(`%${likeEscape(v)}%`)
        case 'notContains':
          return like(`%${likeEscape(v)}%`, true)
        case 'startsWith':
          return like(`${likeEscape(v)}%`)
        case 'endsWith':
          return like(`%${likeEscape(v)}`)
        case 'isEmpty':
          return { sql: `${col} = ''`, params: colParams }
        default:
          return { sql: `${col} <> ''`, params: colParams }
      }
    }
    case 'date': {
      const c = col(DATE_COLUMNS[field]!)
      if (op === 'isEmpty') return { sql: `${c} IS NULL`, params: [] }
      if (op === 'isNotEmpty') return { sql: `${c} IS NOT NULL`, params: [] }
      if (op === 'before') return { sql: `${c} < ?`, params: [resolveDate(value as RelDate, now)] }
      if (op === 'after') return { sql: `${c} >= ?`, params: [resolveDate(value as RelDate, now)] }
      const { from, to } = value as { from: RelDate; to: RelDate }
      return { sql: `(${c} >= ? AND ${c} < ?)`, params: [resolveDate(from, now), toBound(to, now)] }
    }
    case 'event': {
      // The contacts with such an event (in the period): one pass over the engagement index.
      // Counting: one pass over the engagement index. Walking: this contact's outbox rows, then their events.
      const sub = (period: string) => (row: string) =>
        row
          ? `SELECT 1 FROM outbound_messages o JOIN message_events e ON e.outbound_id = o.id
             WHERE o.contact_id = ${row} AND ${ENGAGEMENT} AND e.type IN (${EVENT_TYPES[field]}) ${period}`
          : `SELECT o.contact_id FROM message_events e JOIN outbound_messages o ON o.id = e.outbound_id
             WHERE ${ENGAGEMENT} AND e.type IN (${EVENT_TYPES[field]}) ${period} AND o.contact_id IS NOT NULL`
      switch (op) {
        case 'ever':
          return { sql: member(sub(''), false), params: [] }
        case 'never':
          return { sql: member(sub(''), true), params: [] }
        case 'after':
          return { sql: member(sub('AND e.at >= ?'), false), params: [resolveDate(value as RelDate, now)] }
        case 'notAfter':
          return { sql: member(sub('AND e.at >= ?'), true), params: [resolveDate(value as RelDate, now)] }
        case 'before':
          return { sql: member(sub('AND e.at < ?'), false), params: [resolveDate(value as RelDate, now)] }
        default: {
          const { from, to } = value as { from: RelDate; to: RelDate }
          return { sql: member(sub('AND e.at >= ? AND e.at < ?'), false), params: [resolveDate(from, now), toBound(to, now)] }
        }
      }
    }
    default:
      // Unreachable for validated rules; matching nothing is the safe answer for anything else.
      return { sql: '0', params: [] }
  }
}

function compileGroup(group: Group, now: number, mode: Mode): SqlPart {
  const all = 'all' in group
  const items = all ? group.all : group.any
  if (items.length === 0) return { sql: all ? '1' : '0', params: [] }
  const parts = items.map((item) => ('all' in item || 'any' in item ? compileGroup(item as Group, now, mode) : compileRule(item as Rule, now, mode)))
  return { sql: `(${parts.map((p) => p.sql).join(all ? ' AND ' : ' OR ')})`, params: parts.flatMap((p) => p.params) }
}

/**
 * The condition for `SELECT … FROM contacts c WHERE <sql>`. Relative dates ({days: N}) are resolved
 * against `now` (the engine's clock), so a saved segment moves with time. A segment of one business
 * (objectId) only ever matches that business's contacts.
 */
export function compileSegment(rules: Group, now: number, objectId?: number | null, mode: Mode = 'count'): SqlPart {
  const body = compileGroup(rules, now, mode)
  if (objectId == null) return body
  return { sql: `(${mode === 'walk' ? '+' : ''}c.primary_object_id = ? AND ${body.sql})`, params: [objectId, ...body.params] }
}

/** A segment for the contact grid: the walking form for its page, the counting form for its total. */
export interface GridSegment extends SqlPart {
  count: SqlPart
}
export const gridSegment = (rules: Group, now: number, objectId?: number | null): GridSegment => ({
  ...compileSegment(rules, now, objectId, 'walk'),
  count: compileSegment(rules, now, objectId, 'count'),
})

/**
 * listContacts puts the segment's condition first in its WHERE list; this swaps in the counting form for
 * the total (same meaning, a plan for counting).
 */
export function countingWhere(where: string[], params: unknown[], segment?: GridSegment): [string[], unknown[]] {
  if (!segment) return [where, params]
  return [[segment.count.sql, ...where.slice(1)], [...segment.count.params, ...params.slice(segment.params.length)]]
}

/** Ids that a rule refers to (tags, businesses, companies), so the service can say which no longer exist. */
export function referencedIds(rules: Group): { tag: Set<number>; object: Set<number>; companyId: Set<number> } {
  const out = { tag: new Set<number>(), object: new Set<number>(), companyId: new Set<number>() }
  const walk = (g: Group) => {
    for (const item of 'all' in g ? g.all : g.any) {
      if ('all' in item || 'any' in item) walk(item as Group)
      else {
        const r = item as Rule
        if ((r.field === 'tag' || r.field === 'object' || r.field === 'companyId') && typeof r.value === 'number') out[r.field].add(r.value)
      }
    }
  }
  walk(rules)
  return out
}
