// Businesses (objects): the list as the UI sees it (counts, Mailgun settings), their rules and writes.
import type { ParsedInput } from '../../../shared/contract'
import type { BizObject, MailgunSettings } from '../../../shared/models'
import { AppError, notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'
import { removeLastOf, removeMailOf } from '../inbound/removeMail'
import { allMailgunRows, type MailgunRow } from '../repos/mailgun'
import { deleteObject as deleteObjectRows, insertObject, listObjectRows, objectIdByName, objectRow, ownAddressId, updateObject as updateObjectRow, type ObjectRow, type OwnAddressKind } from '../repos/objects'
import { getSetting, settingKeys } from '../repos/settings'
import { assertNoClash } from './unique'
import { addAudit } from '../repos/audit'
import { currentUserId } from '../repos/app'
// issue 17: the country phone numbers are read by
import { countryFromTimezone } from '../../../shared/phones'

export const toMailgun = (ctx: Ctx, m: MailgunRow): MailgunSettings => ({
  objectId: m.objectId,
  sendingDomain: m.sendingDomain,
  region: m.region,
  apiBaseUrl: m.apiBaseUrl,
  hasApiKey: m.apiKeySealed !== null,
  // Set by the outbox when Mailgun refuses the key; cleared when the settings change.
  authError: getSetting(ctx, settingKeys.mailgunAuthError(m.objectId)),
  updatedAt: iso(m.updatedAt),
})

export function listObjects(ctx: Ctx, id?: number): BizObject[] {
  const rows = listObjectRows(ctx, id)
  const mailgun = new Map(allMailgunRows(ctx).map((m) => [m.objectId, toMailgun(ctx, m)]))
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    postalAddress: r.postal_address,
    timezone: r.timezone,
    unsubscribeUrl: r.unsubscribe_url ?? null,
    mailgun: mailgun.get(r.id) ?? null,
    contactCount: r.contactCount,
    profileCount: r.profileCount,
    mailboxCount: r.mailboxCount,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    country: r.country ?? countryFromTimezone(r.timezone),
    countrySet: r.country !== null,
  }))
}

/** The country a business's national phone numbers are read by: its own, else its time zone's; null without a business. */
export function businessCountry(ctx: Ctx, objectId: number | null): string | null {
  if (objectId === null) return null
  const row = objectRow(ctx, objectId)
  return row ? (row.country ?? countryFromTimezone(row.timezone)) : null
}

export function getObject(ctx: Ctx, id: number): BizObject {
  const found = listObjects(ctx, id)[0]
  if (!found) throw notFound('Business', id)
  return found
}

export function requireObject(ctx: Ctx, id: number, field = 'objectId'): ObjectRow {
  const row = objectRow(ctx, id)
  if (!row) throw new AppError('NOT_FOUND', `Business ${id} does not exist`, field)
  return row
}

const OWN_ADDRESS_WORDS: Record<OwnAddressKind, string> = { mailbox: 'a mailbox', profile: 'a sender profile' }

/** A business has one mailbox, and one sender profile, per address (`exceptId`: the one being edited). */
export function assertOwnAddressFree(ctx: Ctx, kind: OwnAddressKind, objectId: number, email: string, exceptId?: number): void {
  assertNoClash(ownAddressId(ctx, kind, objectId, email), exceptId, `This object already has ${OWN_ADDRESS_WORDS[kind]} for ${email}`, 'email')
}

function assertNameFree(ctx: Ctx, name: string, exceptId?: number): void {
  assertNoClash(objectIdByName(ctx, name), exceptId, `A business named "${name}" already exists`, 'name')
}

export function createObject(ctx: Ctx, input: ParsedInput<'objects.create'>): BizObject {
  assertNameFree(ctx, input.name)
  const id = insertObject(ctx, input, ctx.clock.now())
  ctx.emit('objects.changed', {})
  return getObject(ctx, id)
}

export function updateObject(ctx: Ctx, { id, ...patch }: ParsedInput<'objects.update'>): BizObject {
  requireObject(ctx, id, 'id')
  if (patch.name !== undefined) assertNameFree(ctx, patch.name, id)
  ctx.sqlite.transaction(() => {
    updateObjectRow(ctx, id, patch, ctx.clock.now())
    // Issue 18: settings changes are audited by field name only (values can be personal: an address).
    addAudit(ctx, { objectId: id, userId: currentUserId(ctx), action: 'settings.change', detail: { setting: 'business', fields: Object.keys(patch).sort() } }, ctx.clock.now())
  })()
  ctx.emit('objects.changed', {})
  return getObject(ctx, id)
}

/**
 * Removes the business with its mailboxes and the mail stored for them here (their sync stopped first; the mail a
 * chunk per transaction, as a mailbox's removal does), then its rows.
 */
export async function deleteObject(ctx: Ctx, id: number): Promise<{ id: number; deleted: true }> {
  const check = () => {
    const obj = getObject(ctx, id)
    // Customers are never deleted as a side effect of removing a business.
    if (obj.contactCount > 0) throw new AppError('CONFLICT', `${obj.name} still has ${obj.contactCount} contacts. Move or delete them first.`, 'id')
  }
  check()
  const mailboxIds = stmtPluck(ctx.sqlite, 'SELECT id FROM mailboxes WHERE object_id = ?').all(id) as number[]
  return ctx.sync.hold(mailboxIds, async (isStopped) => {
    await removeMailOf(ctx, { objectId: id }, isStopped)
    if (isStopped()) throw new AppError('UNAVAILABLE', 'The app closed before the business was removed; remove it again to finish')
    removeLastOf(ctx, { objectId: id }, () => {
      check()
      deleteObjectRows(ctx, id)
    })
    ctx.emit('objects.changed', {})
    return { id, deleted: true as const }
  })
}
