// The segment compiler: validated rules → ONE parameterised SQL condition over `contacts c`, never a
// filter in JS. Values only ever travel as parameters; field names map to fixed column expressions.
// Each condition is written so SQLite can use an index: tags and engagement events as `c.id IN (…)`
// (materialised once, then probed per row), activity dates on their own indexes (migration 0015).
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

function compileRule(rule: Rule, now: number): SqlPart {
  const { field, op, value } = rule
  const kind = kindOf(field)
  switch (kind) {
    case 'tag': {
      const sub = 'SELECT contact_id FROM contact_tags WHERE tag_id = ?'
      return { sql: op === 'has' ? `c.id IN (${sub})` : `c.id NOT IN (${sub})`, params: [value] }
    }
    case 'status':
      return { sql: op === 'is' ? 'c.status = ?' : 'c.status <> ?', params: [value] }
    case 'object':
    case 'companyId': {
      const col = kind === 'object' ? 'c.primary_object_id' : 'c.company_id'
      if (op === 'isEmpty') return { sql: `${col} IS NULL`, params: [] }
      if (op === 'isNotEmpty') return { sql: `${col} IS NOT NULL`, params: [] }
      return { sql: op === 'is' ? `${col} = ?` : `${col} IS NOT ?`, params: [value] }
    }
    case 'text': {
      const custom = field.startsWith('fields.')
      const col = custom ? "ifnull(json_extract(c.fields_json, ?), '')" : TEXT_COLUMNS[field]!
      const colParams = custom ? [`$."${field.slice(7)}"`] : []
      const v = String(value ?? '').trim()
      const like = (pattern: string, not = false): SqlPart => ({ sql: `${col} ${not ? 'NOT LIKE' : 'LIKE'} ? ESCAPE '\\'`, params: [...colParams, pattern] })
      switch (op) {
        case 'equals':
          // Emails are stored lower-case: an exact match can use contacts_email_idx.
          return field === 'email' ? { sql: 'c.email = ?', params: [v.toLowerCase()] } : { sql: `${col} = ? COLLATE NOCASE`, params: [...colParams, v] }
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
      const col = DATE_COLUMNS[field]!
      if (op === 'isEmpty') return { sql: `${col} IS NULL`, params: [] }
      if (op === 'isNotEmpty') return { sql: `${col} IS NOT NULL`, params: [] }
      if (op === 'before') return { sql: `${col} < ?`, params: [resolveDate(value as RelDate, now)] }
      if (op === 'after') return { sql: `${col} >= ?`, params: [resolveDate(value as RelDate, now)] }
      const { from, to } = value as { from: RelDate; to: RelDate }
      return { sql: `(${col} >= ? AND ${col} < ?)`, params: [resolveDate(from, now), toBound(to, now)] }
    }
    case 'event': {
      // The contacts with such an event (in the period): one pass over the engagement index.
      const sub = (period: string) =>
        `SELECT o.contact_id FROM message_events e JOIN outbound_messages o ON o.id = e.outbound_id
         WHERE ${ENGAGEMENT} AND e.type IN (${EVENT_TYPES[field]}) ${period} AND o.contact_id IS NOT NULL`
      switch (op) {
        case 'ever':
          return { sql: `c.id IN (${sub('')})`, params: [] }
        case 'never':
          return { sql: `c.id NOT IN (${sub('')})`, params: [] }
        case 'after':
          return { sql: `c.id IN (${sub('AND e.at >= ?')})`, params: [resolveDate(value as RelDate, now)] }
        case 'notAfter':
          return { sql: `c.id NOT IN (${sub('AND e.at >= ?')})`, params: [resolveDate(value as RelDate, now)] }
        case 'before':
          return { sql: `c.id IN (${sub('AND e.at < ?')})`, params: [resolveDate(value as RelDate, now)] }
        default: {
          const { from, to } = value as { from: RelDate; to: RelDate }
          return { sql: `c.id IN (${sub('AND e.at >= ? AND e.at < ?')})`, params: [resolveDate(from, now), toBound(to, now)] }
        }
      }
    }
    default:
      // Unreachable for validated rules; matching nothing is the safe answer for anything else.
      return { sql: '0', params: [] }
  }
}

function compileGroup(group: Group, now: number): SqlPart {
  const all = 'all' in group
  const items = all ? group.all : group.any
  if (items.length === 0) return { sql: all ? '1' : '0', params: [] }
  const parts = items.map((item) => ('all' in item || 'any' in item ? compileGroup(item as Group, now) : compileRule(item as Rule, now)))
  return { sql: `(${parts.map((p) => p.sql).join(all ? ' AND ' : ' OR ')})`, params: parts.flatMap((p) => p.params) }
}

/**
 * The condition for `SELECT … FROM contacts c WHERE <sql>`. Relative dates ({days: N}) are resolved
 * against `now` (the engine's clock), so a saved segment moves with time. A segment of one business
 * (objectId) only ever matches that business's contacts.
 */
export function compileSegment(rules: Group, now: number, objectId?: number | null): SqlPart {
  const body = compileGroup(rules, now)
  if (objectId == null) return body
  return { sql: `(c.primary_object_id = ? AND ${body.sql})`, params: [objectId, ...body.params] }
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
