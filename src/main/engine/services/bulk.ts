// mail.sendMany and bulk.*: one saved template to many recipients (issue 18, seed 004). The template is
// compiled once and rendered per recipient in chunks that give the engine's thread back between them; then
// every row is written in one transaction, through the outbox's one door (queueMessage, which also applies
// the suppression list). The same idempotency key in the same business returns the same job.
import type { z } from 'zod'
import { AppError } from '../../../shared/result'
import { SKIP_REASONS, type BulkJob, type BulkPreview, type BulkPreviewInput, type SendMany, type SkipReason } from '../../../shared/templates'
import { isEmail } from '../../../shared/validators'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { mustacheInTag } from '../outbound/outgoingHtml'
import { loadProfile, queueMessageId, suppressionOf, usableProfile } from '../outbound/queue'
import * as repo from '../repos/bulk'
import { contactRow, objectRow, type ContactRow, type ObjectRow } from '../repos/templates'
import { outboxChanged } from './outbox'
import { assertMaySendFrom } from './permissions'
import { addressOnly, checkValues, prepareTemplate, renderPrepared, valuesFor, type Prepared, type Rendered } from './templates'

/** Recipients rendered between two yields of the thread (about 10–20 ms of work on this machine). */
const CHUNK = 500
const EXAMPLES = 50
const yieldThread = () => new Promise<void>((resolve) => setImmediate(resolve))

type Input = z.output<typeof BulkPreviewInput>
interface Planned {
  label: string
  email: string
  contactId: number | null
  rendered: Rendered | null
}
interface Skip {
  recipient: string
  reason: SkipReason
  detail: string
}
interface Plan {
  prepared: Prepared
  profile: ReturnType<typeof loadProfile>
  object: ObjectRow
  ok: Planned[]
  skips: Skip[]
}

/** The category of a skip reason the outbox wrote ("x is suppressed (bounced)", "The contact is unsubscribed"). */
export function reasonOf(statusReason: string | null): SkipReason {
  const word = /suppressed \((\w+)\)/.exec(statusReason ?? '')?.[1] ?? /contact is (\w+)/i.exec(statusReason ?? '')?.[1] ?? ''
  if (/erase/i.test(statusReason ?? '')) return 'erased'
  return (SKIP_REASONS as readonly string[]).includes(word) ? (word as SkipReason) : 'suppressed'
}

/** Checks and renders every recipient (a preview renders too, so its counts are exactly a send's). */
async function plan(ctx: Ctx, input: Input): Promise<Plan> {
  const profile = loadProfile(ctx, input.profileId)
  const prepared = prepareTemplate(ctx, input.templateId, input.version)
  if (prepared.template.objectId !== profile.objectId)
    throw new AppError('VALIDATION', `“${prepared.template.name}” is a template of another business than this sender's`, 'templateId')
  checkValues(prepared, input.sharedVariables, 'sharedVariables')
  input.recipients.forEach((r, i) => checkValues(prepared, r.variables, `recipients.${i}.variables`))
  const object = objectRow(ctx, profile.objectId)!
  const sender = { objectId: profile.objectId, email: profile.email, displayName: profile.displayName, replyTo: profile.replyTo }
  const now = ctx.clock.now()
  const seen = new Set<string>()
  const ok: Planned[] = []
  const skips: Skip[] = []
  for (let start = 0; start < input.recipients.length; start += CHUNK) {
    if (start) await yieldThread()
    for (const r of input.recipients.slice(start, start + CHUNK)) {
      let contact: ContactRow | undefined
      let label: string
      if ('contactId' in r) {
        contact = contactRow(ctx, r.contactId)
        label = contact?.email ?? `contact ${r.contactId}`
        if (!contact) {
          skips.push({ recipient: label, reason: 'unknown_contact', detail: `Contact ${r.contactId} does not exist` })
          continue
        }
        if (!contact.email) {
          const name = `${contact.firstName} ${contact.lastName}`.trim() || label
          skips.push({ recipient: name, reason: 'no_email', detail: `${name} has no email address` })
          continue
        }
      } else {
        label = r.email
        const email = r.email.toLowerCase()
        if (!isEmail(email)) {
          skips.push({ recipient: label, reason: 'invalid_email', detail: `“${r.email}” is not a valid email address` })
          continue
        }
        const id = repo.contactByEmailIn(ctx, profile.objectId, email)?.id
        contact = (id !== undefined ? contactRow(ctx, id) : undefined) ?? addressOnly(email, profile.objectId)
      }
      const email = contact.email!.toLowerCase()
      if (seen.has(email)) {
        skips.push({ recipient: email, reason: 'duplicate', detail: `${email} is listed more than once; it gets one message` })
        continue
      }
      seen.add(email)
      const out = renderPrepared(now, prepared, contact, object, sender, valuesFor(prepared, input.sharedVariables, r.variables))
      if (!out.ok) {
        skips.push({ recipient: email, reason: 'missing_variable', detail: `{{${out.missing}}} has no value for ${email}` })
        continue
      }
      ok.push({ label: email, email, contactId: contact.id || null, rendered: out.r })
    }
  }
  return { prepared, profile, object, ok, skips }
}

function tally(skips: Skip[]): { skipped: Record<string, number>; examples: Skip[] } {
  const skipped: Record<string, number> = {}
  for (const s of skips) skipped[s.reason] = (skipped[s.reason] ?? 0) + 1
  return { skipped, examples: skips.slice(0, EXAMPLES) }
}

/** bulk.preview: counts and reasons exactly as a send now would give them, writing nothing. */
export async function previewBulk(ctx: Ctx, input: Input): Promise<BulkPreview> {
  const p = await plan(ctx, input)
  const skips = [...p.skips]
  let willQueue = 0
  for (const r of p.ok) {
    const why = suppressionOf(ctx, p.profile.objectId, [r.email], r.contactId)
    if (why) skips.push({ recipient: r.label, reason: reasonOf(why), detail: why })
    else willQueue++
  }
  return { templateId: p.prepared.template.id, version: p.prepared.version.version, requested: input.recipients.length, willQueue, ...tally(skips) }
}

/** mail.sendMany. */
export async function sendMany(ctx: Ctx, input: z.output<typeof SendMany>): Promise<BulkJob> {
  const profile = loadProfile(ctx, input.profileId)
  assertMaySendFrom(ctx, profile.id)
  const prior = repo.jobByKey(ctx, profile.objectId, input.idempotencyKey)
  if (prior) return jobOf(ctx, prior, true)
  const p = await plan(ctx, input)
  const result = inTransaction(
    ctx.sqlite,
    () => {
      // Another send with this key may have finished while this one rendered: the unique index has the last word.
      const raced = repo.jobByKey(ctx, profile.objectId, input.idempotencyKey)
      if (raced) return { jobId: raced.id, reused: true, ids: [] as number[] }
      const now = ctx.clock.now()
      const jobId = repo.insertJob(
        ctx,
        { objectId: profile.objectId, profileId: profile.id, templateId: p.prepared.template.id, templateVersionId: p.prepared.version.id, idempotencyKey: input.idempotencyKey, requested: input.recipients.length },
        now,
      )
      const skips = [...p.skips]
      const ids: number[] = []
      let queued = 0
      // The version was sanitised when saved: rows need the sanitiser again only for a {{…}} inside a tag.
      const clean = !mustacheInTag(p.prepared.version.html)
      // The profile is checked once for the whole send (one transaction), not once per row.
      const known = p.ok.length ? { profile: usableProfile(ctx, profile.id) } : {}
      for (const r of p.ok) {
        const row = queueMessageId(ctx, { profileId: profile.id, to: [r.email], ...r.rendered!, contactId: r.contactId, source: 'bulk', clean, known })
        ids.push(row.id)
        if (row.status === 'skipped') skips.push({ recipient: r.label, reason: reasonOf(row.statusReason), detail: row.statusReason ?? 'Skipped' })
        else queued++
      }
      // One statement marks every row as the job's (a row-by-row update cost a third of the send).
      if (ids.length) repo.tagRows(ctx, ids[0]!, ids[ids.length - 1]!, p.prepared.template.id, p.prepared.version.id, jobId)
      repo.finishJob(ctx, jobId, queued, JSON.stringify(tally(skips)))
      return { jobId, reused: false, ids }
    },
    'immediate',
  )
  if (result.ids.length) outboxChanged(ctx, ...result.ids)
  return jobOf(ctx, repo.jobById(ctx, result.jobId)!, result.reused)
}

const PENDING = new Set(['queued', 'sending', 'retry_wait', 'held'])
const SENT = new Set(['sent', 'delivered', 'opened', 'clicked'])

function jobOf(ctx: Ctx, j: repo.JobRow, reused: boolean): BulkJob {
  const progress = { pending: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 }
  let rows = 0
  for (const { status, n } of repo.jobStatusCounts(ctx, j.id)) {
    rows += n
    if (PENDING.has(status)) progress.pending += n
    else if (SENT.has(status)) progress.sent += n
    else if (status === 'failed' || status === 'bounced') progress.failed += n
    else if (status === 'skipped') progress.skipped += n
    else if (status === 'cancelled') progress.cancelled += n
  }
  // Recipients with no row (no address, listed twice, a variable without a value) are skipped too.
  progress.skipped += Math.max(0, j.requested - rows)
  let summary: { skipped?: Record<string, number>; examples?: Skip[] } = {}
  try {
    summary = JSON.parse(j.skippedJson) as typeof summary
  } catch {
    /* an unreadable summary reads as none */
  }
  return {
    id: j.id,
    objectId: j.objectId,
    profileId: j.profileId,
    templateId: j.templateId,
    templateName: j.templateName ?? 'Deleted template',
    version: j.version,
    idempotencyKey: j.idempotencyKey,
    requested: j.requested,
    queued: j.queued,
    skipped: summary.skipped ?? {},
    examples: summary.examples ?? [],
    progress,
    createdAt: iso(j.createdAt),
    idempotencyReused: reused,
  }
}

export function getBulkJob(ctx: Ctx, id: number): BulkJob {
  const j = repo.jobById(ctx, id)
  if (!j) throw new AppError('NOT_FOUND', `Bulk send ${id} does not exist`, 'id')
  return jobOf(ctx, j, false)
}

export const listBulkJobs = (ctx: Ctx, q: { objectId?: number; limit: number }): BulkJob[] => repo.jobList(ctx, q.objectId, q.limit).map((j) => jobOf(ctx, j, false))
