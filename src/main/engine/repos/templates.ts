// What a template is rendered with: the contact and the business (object) it is written for. The
// rendering itself is automation/templates.ts.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import type { NewContactRow } from './contacts'

/** A contact's columns as a template reads them (custom fields still as their JSON column). */
export interface ContactRow extends Omit<NewContactRow, 'fields'> {
  id: number
  fieldsJson: string
  /** active, unsubscribed, bounced… (read by contactRow; rows made by hand may leave it out). */
  status?: string
}
export interface ObjectRow {
  id: number
  name: string
  postalAddress: string
  timezone: string
  unsubscribeUrl: string | null
}

export function contactRow(ctx: Ctx, id: number): ContactRow | undefined {
  return stmt(
    ctx.sqlite,
    `SELECT id, email, first_name AS firstName, last_name AS lastName, company, phone, timezone, fields_json AS fieldsJson,
            primary_object_id AS primaryObjectId, status FROM contacts WHERE id = ?`,
  ).get(id) as ContactRow | undefined
}

export function objectRow(ctx: Ctx, id: number): ObjectRow | undefined {
  return stmt(ctx.sqlite, 'SELECT id, name, postal_address AS postalAddress, timezone, unsubscribe_url AS unsubscribeUrl FROM objects WHERE id = ?').get(id) as
    | ObjectRow
    | undefined
}

// ---------- the template library (issue 18): templates and their immutable versions ----------
export interface TemplateRow {
  id: number
  objectId: number
  name: string
  description: string
  currentVersion: number
  deletedAt: number | null
  createdAt: number
  updatedAt: number
}
export interface VersionRow {
  id: number
  templateId: number
  version: number
  subject: string
  html: string
  text: string
  textAuto: number
  variablesJson: string
  createdAt: number
}
const T_COLS = `id, object_id AS objectId, name, description, current_version AS currentVersion, deleted_at AS deletedAt,
  created_at AS createdAt, updated_at AS updatedAt`
const V_COLS = `id, template_id AS templateId, version, subject, html, text, text_auto AS textAuto, variables_json AS variablesJson, created_at AS createdAt`

/** A template that is not deleted. */
export const templateRow = (ctx: Ctx, id: number): TemplateRow | undefined =>
  stmt(ctx.sqlite, `SELECT ${T_COLS} FROM templates WHERE id = ? AND deleted_at IS NULL`).get(id) as TemplateRow | undefined

export const versionRow = (ctx: Ctx, templateId: number, version: number): VersionRow | undefined =>
  stmt(ctx.sqlite, `SELECT ${V_COLS} FROM template_versions WHERE template_id = ? AND version = ?`).get(templateId, version) as VersionRow | undefined

export const versionById = (ctx: Ctx, id: number): VersionRow | undefined =>
  stmt(ctx.sqlite, `SELECT ${V_COLS} FROM template_versions WHERE id = ?`).get(id) as VersionRow | undefined

export const versionList = (ctx: Ctx, templateId: number): Array<{ version: number; subject: string; createdAt: number }> =>
  stmt(ctx.sqlite, 'SELECT version, subject, created_at AS createdAt FROM template_versions WHERE template_id = ? ORDER BY version DESC').all(templateId) as Array<{
    version: number
    subject: string
    createdAt: number
  }>

/** Templates with their current version's subject and variables, by name. */
export function templateList(ctx: Ctx, q: { objectId?: number; query?: string }): Array<TemplateRow & { subject: string; variablesJson: string }> {
  const where = ['t.deleted_at IS NULL']
  const params: unknown[] = []
  if (q.objectId !== undefined) where.push('t.object_id = ?'), params.push(q.objectId)
  if (q.query) where.push("(t.name LIKE ? ESCAPE '\\' OR v.subject LIKE ? ESCAPE '\\')"), params.push(...Array(2).fill(`%${q.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
  return ctx.sqlite
    .prepare(
      `SELECT t.id, t.object_id AS objectId, t.name, t.description, t.current_version AS currentVersion, t.deleted_at AS deletedAt,
              t.created_at AS createdAt, t.updated_at AS updatedAt, v.subject, v.variables_json AS variablesJson
       FROM templates t JOIN template_versions v ON v.template_id = t.id AND v.version = t.current_version
       WHERE ${where.join(' AND ')} ORDER BY lower(t.name), t.id LIMIT 1000`,
    )
    .all(...params) as Array<TemplateRow & { subject: string; variablesJson: string }>
}

/** Messages from the template still waiting in the outbox (queued, scheduled, sending, retrying, held). */
export function pendingFromTemplate(ctx: Ctx, templateId: number): number {
  return (
    stmt(ctx.sqlite, "SELECT count(*) AS n FROM outbound_messages WHERE template_id = ? AND status IN ('queued', 'sending', 'retry_wait', 'held')").get(templateId) as {
      n: number
    }
  ).n
}

export const nameTaken = (ctx: Ctx, objectId: number, name: string, exceptId: number | null): boolean =>
  !!stmt(ctx.sqlite, 'SELECT 1 FROM templates WHERE object_id = ? AND lower(name) = lower(?) AND deleted_at IS NULL AND id IS NOT ?').get(objectId, name, exceptId)

export function insertTemplate(ctx: Ctx, t: { objectId: number; name: string; description: string }, now: number): number {
  return Number(
    stmt(ctx.sqlite, 'INSERT INTO templates (object_id, name, description, current_version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)').run(
      t.objectId,
      t.name,
      t.description,
      now,
      now,
    ).lastInsertRowid,
  )
}

/** Appends a version (never rewrites one) and makes it the template's current one. */
export function insertVersion(ctx: Ctx, templateId: number, version: number, v: { subject: string; html: string; text: string; textAuto: boolean; variables: string[] }, now: number): number {
  const id = Number(
    stmt(
      ctx.sqlite,
      'INSERT INTO template_versions (template_id, version, subject, html, text, text_auto, variables_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(templateId, version, v.subject, v.html, v.text, v.textAuto ? 1 : 0, JSON.stringify(v.variables), now).lastInsertRowid,
  )
  stmt(ctx.sqlite, 'UPDATE templates SET current_version = ?, updated_at = ? WHERE id = ?').run(version, now, templateId)
  return id
}

export const updateTemplateMeta = (ctx: Ctx, id: number, name: string, description: string, now: number): void => {
  stmt(ctx.sqlite, 'UPDATE templates SET name = ?, description = ?, updated_at = ? WHERE id = ?').run(name, description, now, id)
}
export const markTemplateDeleted = (ctx: Ctx, id: number, now: number): void => {
  stmt(ctx.sqlite, 'UPDATE templates SET deleted_at = ?, updated_at = ? WHERE id = ?').run(now, now, id)
}
/** A contact of the business by address (compose's "Insert template" renders for the person in To). */
export const contactIdByEmail = (ctx: Ctx, objectId: number, email: string): number | undefined =>
  (
    stmt(ctx.sqlite, 'SELECT id FROM contacts WHERE email = ? AND (primary_object_id = ? OR primary_object_id IS NULL) ORDER BY primary_object_id IS NULL LIMIT 1').get(
      email.trim().toLowerCase(),
      objectId,
    ) as { id: number } | undefined
  )?.id
