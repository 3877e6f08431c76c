// Segments: saved filters over contacts (issue 19). Rules are validated by the contract (shape, in words);
// here they are checked against the workspace (the tags, businesses and companies they name exist) and
// compiled to one SQL condition (repos/segmentSql.ts) wherever a segment is used: its live count, the
// preview, the contact grid, sequence enrolment and the coming flows' `inSegment` condition.
import type { z } from 'zod'
import type { FieldError } from '../../../shared/result'
import { AppError } from '../../../shared/result'
import type { Group, NewSegment, PreviewSegment, Rule, Segment, SegmentPatch, SegmentPreview } from '../../../shared/segments'
import type { Ctx } from '../context'
import { compileSegment, gridSegment, type GridSegment, type SqlPart } from '../repos/segmentSql'
import {
  countMatching,
  deleteSegmentRow,
  existingIds,
  insertSegment,
  isMatching,
  sampleMatching,
  segmentNameTaken,
  segmentRow,
  segmentRows,
  toSegment,
  updateSegmentRow,
  type SegmentRow,
} from '../repos/segments'

const WHAT = { tag: 'Tag', object: 'Business', companyId: 'Company' } as const
const TABLE = { tag: 'tags', object: 'objects', companyId: 'companies' } as const

/** Every rule naming a tag, business or company that does not exist, reported at once at its path. */
function checkReferences(ctx: Ctx, rules: Group): void {
  const refs: Array<{ kind: keyof typeof WHAT; id: number; path: string; n: number }> = []
  const walk = (g: Group, path: string) => {
    const key = 'all' in g ? 'all' : 'any'
    const items = 'all' in g ? g.all : g.any
    items.forEach((item, i) => {
      const at = `${path}${key}.${i}`
      if ('all' in item || 'any' in item) return walk(item as Group, `${at}.`)
      const r = item as Rule
      if ((r.field === 'tag' || r.field === 'object' || r.field === 'companyId') && typeof r.value === 'number') refs.push({ kind: r.field, id: r.value, path: `rules.${at}.value`, n: i + 1 })
    })
  }
  walk(rules, '')
  const found = {} as Record<keyof typeof WHAT, Set<number>>
  for (const kind of Object.keys(WHAT) as Array<keyof typeof WHAT>)
    found[kind] = existingIds(ctx, TABLE[kind], refs.filter((r) => r.kind === kind).map((r) => r.id))
  const missing: FieldError[] = refs
    .filter((r) => !found[r.kind].has(r.id))
    .map((r) => ({ field: r.path, message: `Condition ${r.n}: ${WHAT[r.kind]} ${r.id} does not exist (it may have been deleted)` }))
  if (missing.length) throw new AppError('VALIDATION', missing[0]!.message, missing[0]!.field, missing)
}

function requireObject(ctx: Ctx, objectId: number | null | undefined): void {
  if (objectId == null) return
  if (!existingIds(ctx, 'objects', [objectId]).has(objectId)) throw new AppError('NOT_FOUND', `Business ${objectId} does not exist`, 'objectId')
}

function requireSegment(ctx: Ctx, id: number, field = 'id'): SegmentRow {
  const row = segmentRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Segment ${id} does not exist`, field)
  return row
}

const whereOf = (ctx: Ctx, row: SegmentRow, mode: 'count' | 'walk' = 'count'): SqlPart => compileSegment(JSON.parse(row.rulesJson) as Group, ctx.clock.now(), row.objectId, mode)
const withCount = (ctx: Ctx, row: SegmentRow): Segment => toSegment(row, countMatching(ctx, whereOf(ctx, row)))

/** Live counts: each segment is counted when the list is read (≤ 50 ms each on 100k contacts, bench/segments.ts). */
export const listSegments = (ctx: Ctx, objectId?: number): Segment[] => segmentRows(ctx, objectId).map((r) => withCount(ctx, r))
export const getSegment = (ctx: Ctx, id: number): Segment => withCount(ctx, requireSegment(ctx, id))

export function createSegment(ctx: Ctx, input: z.output<typeof NewSegment>): Segment {
  const objectId = input.objectId ?? null
  requireObject(ctx, objectId)
  checkReferences(ctx, input.rules)
  if (segmentNameTaken(ctx, objectId, input.name)) throw new AppError('CONFLICT', `A segment named "${input.name}" already exists`, 'name')
  const id = insertSegment(ctx, { objectId, name: input.name, rules: input.rules }, ctx.clock.now())
  return getSegment(ctx, id)
}

export function updateSegment(ctx: Ctx, input: z.output<typeof SegmentPatch>): Segment {
  const row = requireSegment(ctx, input.id)
  const next = {
    id: row.id,
    objectId: input.objectId !== undefined ? input.objectId : row.objectId,
    name: input.name ?? row.name,
    rules: input.rules ?? (JSON.parse(row.rulesJson) as Group),
  }
  requireObject(ctx, next.objectId)
  if (input.rules) checkReferences(ctx, input.rules)
  if (segmentNameTaken(ctx, next.objectId, next.name, row.id)) throw new AppError('CONFLICT', `A segment named "${next.name}" already exists`, 'name')
  updateSegmentRow(ctx, next, ctx.clock.now())
  return getSegment(ctx, row.id)
}

export function deleteSegment(ctx: Ctx, id: number): { id: number; deleted: true } {
  requireSegment(ctx, id)
  deleteSegmentRow(ctx, id)
  return { id, deleted: true }
}

/** The count and a first few contacts for rules not yet saved (the builder's live preview). */
export function previewSegment(ctx: Ctx, input: z.output<typeof PreviewSegment>): SegmentPreview {
  requireObject(ctx, input.objectId)
  checkReferences(ctx, input.rules)
  const where = compileSegment(input.rules, ctx.clock.now(), input.objectId)
  return { count: countMatching(ctx, where), sample: sampleMatching(ctx, where, input.sampleSize) }
}

/** The segment as a condition over `contacts c`, for sequence enrolment (sequences.enroll {segmentId}). */
export const segmentCondition = (ctx: Ctx, segmentId: number, field = 'segmentId'): SqlPart => whereOf(ctx, requireSegment(ctx, segmentId, field))

/** The segment for the contact grid (contacts.list {segmentId}): a page plan and a count plan. */
export function segmentGridFilter(ctx: Ctx, segmentId: number): GridSegment {
  const row = requireSegment(ctx, segmentId, 'segmentId')
  return gridSegment(JSON.parse(row.rulesJson) as Group, ctx.clock.now(), row.objectId)
}

/** For flows' `inSegment` condition: does this contact match the segment now? False for a deleted segment. */
export function contactInSegment(ctx: Ctx, segmentId: number, contactId: number): boolean {
  const row = segmentRow(ctx, segmentId)
  return row ? isMatching(ctx, whereOf(ctx, row, 'walk'), contactId) : false
}
