// A business's Mailgun settings: save (the key sealed), test against Mailgun, remove when nothing sends through it.
import type { ParsedInput } from '../../../shared/contract'
import type { MailgunSettings } from '../../../shared/models'
import type { MailgunTestResult } from '../../../shared/setupTest'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { testMailgun } from '../outbound/setupTest'
import { deleteMailgunRow, mailgunProfileCount, mailgunRowOf, saveMailgunRow, type MailgunRow } from '../repos/mailgun'
import { requireObject, toMailgun } from './objects'

export function upsertMailgun(ctx: Ctx, input: ParsedInput<'mailgun.upsert'>): MailgunSettings {
  requireObject(ctx, input.objectId)
  const existing = mailgunRowOf(ctx, input.objectId)
  if (!existing && !input.apiKey) throw new AppError('VALIDATION', 'Required', 'apiKey')
  const row = saveMailgunRow(
    ctx,
    input.objectId,
    {
      sendingDomain: input.sendingDomain,
      region: input.region,
      // Omitted keeps the stored URL (as an omitted key keeps the stored key); null resets to the region's default.
      apiBaseUrl: input.apiBaseUrl === undefined ? (existing?.apiBaseUrl ?? null) : input.apiBaseUrl,
      ...(input.apiKey ? { apiKeySealed: ctx.secrets.seal(input.apiKey) } : {}),
      updatedAt: ctx.clock.now(),
    },
    existing?.id,
  )
  ctx.outbound.scheduler.settingsChanged({ objectId: input.objectId })
  ctx.emit('objects.changed', {})
  return toMailgun(ctx, row)
}

/** Asks Mailgun about the sending domain with the key (unsaved ones too); nothing is stored. A key or API URL left out is the business's stored one. */
export async function testMailgunSettings(ctx: Ctx, { objectId, sendingDomain, apiKey, region, apiBaseUrl }: ParsedInput<'mailgun.test'>): Promise<MailgunTestResult> {
  let existing: MailgunRow | undefined
  if (objectId !== undefined) {
    requireObject(ctx, objectId)
    existing = mailgunRowOf(ctx, objectId)
  }
  const key = apiKey ?? (existing?.apiKeySealed ? ctx.secrets.open(existing.apiKeySealed) : undefined)
  if (!key) throw new AppError('VALIDATION', 'Paste the API key to test it', 'apiKey')
  const base = apiBaseUrl === undefined ? (existing?.apiBaseUrl ?? null) : apiBaseUrl
  return testMailgun({ sendingDomain, apiKey: key, region, apiBaseUrl: base }, ctx.outbound.setupTest)
}

export function removeMailgun(ctx: Ctx, objectId: number): { objectId: number } {
  requireObject(ctx, objectId)
  const inUse = mailgunProfileCount(ctx, objectId)
  if (inUse > 0) throw new AppError('CONFLICT', `${inUse} sender profile(s) send through Mailgun. Switch them to a mailbox first.`, 'objectId')
  deleteMailgunRow(ctx, objectId)
  ctx.emit('objects.changed', {})
  return { objectId }
}
