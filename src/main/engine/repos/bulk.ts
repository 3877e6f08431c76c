// Bulk send jobs (mail.sendMany): the job row, and its progress counted from its outbox rows.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'

export interface JobRow {
  id: number
  objectId: number
  profileId: number | null
  templateId: number | null
  templateVersionId: number | null
  idempotencyKey: string
  requested: number
  queued: number
  skippedJson: string
  createdAt: number
  templateName: string | null
  version: number | null
}
const COLS = `j.id, j.object_id AS objectId, j.profile_id AS profileId, j.template_id AS templateId, j.template_version_id AS templateVersionId,
  j.idempotency_key AS idempotencyKey, j.requested, j.queued, j.skipped_json AS skippedJson, j.created_at AS createdAt,
  t.name AS templateName, v.version AS version`
const FROM = 'bulk_jobs j LEFT JOIN templates t ON t.id = j.template_id LEFT JOIN template_versions v ON v.id = j.template_version_id'

export const jobById = (ctx: Ctx, id: number): JobRow | undefined => stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE j.id = ?`).get(id) as JobRow | undefined

export const jobByKey = (ctx: Ctx, objectId: number, key: string): JobRow | undefined =>
  stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE j.object_id = ? AND j.idempotency_key = ?`).get(objectId, key) as JobRow | undefined

export function jobList(ctx: Ctx, objectId: number | undefined, limit: number): JobRow[] {
  return objectId === undefined
    ? (stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} ORDER BY j.id DESC LIMIT ?`).all(limit) as JobRow[])
    : (stmt(ctx.sqlite, `SELECT ${COLS} FROM ${FROM} WHERE j.object_id = ? ORDER BY j.id DESC LIMIT ?`).all(objectId, limit) as JobRow[])
}

export function insertJob(
  ctx: Ctx,
  j: { objectId: number; profileId: number; templateId: number; templateVersionId: number; idempotencyKey: string; requested: number },
  now: number,
): number {
  return Number(
    stmt(
      ctx.sqlite,
      `INSERT INTO bulk_jobs (object_id, profile_id, template_id, template_version_id, idempotency_key, requested, queued, skipped_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, '{}', ?)`,
    ).run(j.objectId, j.profileId, j.templateId, j.templateVersionId, j.idempotencyKey, j.requested, now).lastInsertRowid,
  )
}

export const finishJob = (ctx: Ctx, id: number, queued: number, skippedJson: string): void => {
  stmt(ctx.sqlite, 'UPDATE bulk_jobs SET queued = ?, skipped_json = ? WHERE id = ?').run(queued, skippedJson, id)
}

/** Marks a freshly queued row as the job's, from this template version (the outbox groups and analytics filter by them). */
export const tagRow = (ctx: Ctx, outboundId: number, templateId: number, versionId: number | null, jobId: number | null): void => {
  stmt(ctx.sqlite, 'UPDATE outbound_messages SET template_id = ?, template_version_id = ?, bulk_job_id = ? WHERE id = ?').run(templateId, versionId, jobId, outboundId)
}

/**
 * Marks the rows a bulk send just queued, ids first..last: inside its write transaction nothing else inserts, so
 * the range is exactly the job's rows (the source and NULL job guard it anyway).
 */
export const tagRows = (ctx: Ctx, first: number, last: number, templateId: number, versionId: number, jobId: number): void => {
  stmt(
    ctx.sqlite,
    "UPDATE outbound_messages SET template_id = ?, template_version_id = ?, bulk_job_id = ? WHERE id BETWEEN ? AND ? AND source = 'bulk' AND bulk_job_id IS NULL",
  ).run(templateId, versionId, jobId, first, last)
}

/** The job's rows per status, as they are now. */
export const jobStatusCounts = (ctx: Ctx, jobId: number): Array<{ status: string; n: number }> =>
  stmt(ctx.sqlite, 'SELECT status, count(*) AS n FROM outbound_messages WHERE bulk_job_id = ? GROUP BY status').all(jobId) as Array<{ status: string; n: number }>

/** A contact as a bulk send needs it (the template's variables and the skip checks). */
export const contactByEmailIn = (ctx: Ctx, objectId: number, email: string): { id: number } | undefined =>
  stmt(ctx.sqlite, 'SELECT id FROM contacts WHERE email = ? AND (primary_object_id = ? OR primary_object_id IS NULL) ORDER BY primary_object_id IS NULL, id LIMIT 1').get(
    email,
    objectId,
  ) as { id: number } | undefined
