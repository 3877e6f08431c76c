// Objects (the businesses in this workspace) and their Mailgun settings.
import { eq } from 'drizzle-orm'
import type { BizObject, MailgunSettings } from '../../../shared/models'
import { AppError, notFound } from '../../../shared/result'
import { iso } from '../clock'
import type { Ctx, HandlersFor } from '../context'
import { objectMailgunSettings, objects } from '../db/schema'
import { testMailgun } from '../outbound/setupTest'
import { getSetting, settingKeys } from '../repos/settings'

type ObjectRow = typeof objects.$inferSelect
type MailgunRow = typeof objectMailgunSettings.$inferSelect

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

function listObjects(ctx: Ctx, id?: number): BizObject[] {
  const rows = ctx.sqlite
    .prepare(
      `SELECT o.*,
        (SELECT count(*) FROM contacts c WHERE c.primary_object_id = o.id) AS contactCount,
        (SELECT count(*) FROM email_sending_profiles p WHERE p.object_id = o.id) AS profileCount,
        (SELECT count(*) FROM mailboxes m WHERE m.object_id = o.id) AS mailboxCount
       FROM objects o ${id === undefined ? '' : 'WHERE o.id = ?'} ORDER BY o.name COLLATE NOCASE`,
    )
    .all(...(id === undefined ? [] : [id])) as Array<Record<string, number | string>>
  const mailgun = new Map(ctx.db.select().from(objectMailgunSettings).all().map((m) => [m.objectId, toMailgun(ctx, m)]))
  return rows.map((r) => ({
    id: r.id as number,
    name: r.name as string,
    postalAddress: r.postal_address as string,
    timezone: r.timezone as string,
    unsubscribeUrl: (r.unsubscribe_url as string | null) ?? null,
    mailgun: mailgun.get(r.id as number) ?? null,
    contactCount: r.contactCount as number,
    profileCount: r.profileCount as number,
    mailboxCount: r.mailboxCount as number,
    createdAt: iso(r.created_at as number),
    updatedAt: iso(r.updated_at as number),
  }))
}

export function getObject(ctx: Ctx, id: number): BizObject {
  const found = listObjects(ctx, id)[0]
  if (!found) throw notFound('Object', id)
  return found
}

export function requireObject(ctx: Ctx, id: number, field = 'objectId'): ObjectRow {
  const row = ctx.db.select().from(objects).where(eq(objects.id, id)).get()
  if (!row) throw new AppError('NOT_FOUND', `Object ${id} does not exist`, field)
  return row
}

function assertNameFree(ctx: Ctx, name: string, exceptId?: number): void {
  const clash = ctx.sqlite.prepare('SELECT id FROM objects WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined
  if (clash && clash.id !== exceptId) throw new AppError('CONFLICT', `An object named "${name}" already exists`, 'name')
}

export const objectHandlers: HandlersFor<'objects' | 'mailgun'> = {
  'objects.list': (ctx) => listObjects(ctx),

  'objects.create': (ctx, input) => {
    assertNameFree(ctx, input.name)
    const now = ctx.clock.now()
    const row = ctx.db.insert(objects).values({ ...input, createdAt: now, updatedAt: now }).returning().get()
    ctx.emit('objects.changed', {})
    return getObject(ctx, row.id)
  },

  'objects.update': (ctx, { id, ...patch }) => {
    requireObject(ctx, id, 'id')
    if (patch.name !== undefined) assertNameFree(ctx, patch.name, id)
    ctx.db.update(objects).set({ ...patch, updatedAt: ctx.clock.now() }).where(eq(objects.id, id)).run()
    ctx.emit('objects.changed', {})
    return getObject(ctx, id)
  },

  'objects.delete': (ctx, { id }) => {
    const obj = getObject(ctx, id)
    // Customers are never deleted as a side effect of removing a business.
    if (obj.contactCount > 0)
      throw new AppError('CONFLICT', `${obj.name} still has ${obj.contactCount} contacts. Move or delete them first.`, 'id')
    ctx.sqlite.transaction(() => {
      // Profiles first: they RESTRICT the deletion of the mailboxes the object's cascade removes.
      ctx.sqlite.prepare('DELETE FROM email_sending_profiles WHERE object_id = ?').run(id)
      ctx.db.delete(objects).where(eq(objects.id, id)).run()
    })()
    ctx.emit('objects.changed', {})
    return { id, deleted: true as const }
  },

  'mailgun.upsert': (ctx, input) => {
    requireObject(ctx, input.objectId)
    const now = ctx.clock.now()
    const existing = ctx.db.select().from(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, input.objectId)).get()
    if (!existing && !input.apiKey) throw new AppError('VALIDATION', 'Required', 'apiKey')
    const values = {
      sendingDomain: input.sendingDomain,
      region: input.region,
      // Omitted keeps the stored URL (as an omitted key keeps the stored key); null resets to the region's default.
      apiBaseUrl: input.apiBaseUrl === undefined ? (existing?.apiBaseUrl ?? null) : input.apiBaseUrl,
      ...(input.apiKey ? { apiKeySealed: ctx.secrets.seal(input.apiKey) } : {}),
      updatedAt: now,
    }
    const row = existing
      ? ctx.db.update(objectMailgunSettings).set(values).where(eq(objectMailgunSettings.id, existing.id)).returning().get()
      : ctx.db.insert(objectMailgunSettings).values({ ...values, objectId: input.objectId, createdAt: now }).returning().get()
    ctx.outbound.scheduler.settingsChanged({ objectId: input.objectId })
    ctx.emit('objects.changed', {})
    return toMailgun(ctx, row)
  },

  // Asks Mailgun about the sending domain with the key (unsaved ones too); nothing is stored. A key or API
  // URL left out is the business's stored one.
  'mailgun.test': async (ctx, { objectId, sendingDomain, apiKey, region, apiBaseUrl }) => {
    const existing = objectId !== undefined ? (requireObject(ctx, objectId), ctx.db.select().from(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, objectId)).get()) : undefined
    const key = apiKey ?? (existing?.apiKeySealed ? ctx.secrets.open(existing.apiKeySealed) : undefined)
    if (!key) throw new AppError('VALIDATION', 'Paste the API key to test it', 'apiKey')
    const base = apiBaseUrl === undefined ? (existing?.apiBaseUrl ?? null) : apiBaseUrl
    return testMailgun({ sendingDomain, apiKey: key, region, apiBaseUrl: base }, ctx.outbound.setupTest)
  },

  'mailgun.remove': (ctx, { objectId }) => {
    requireObject(ctx, objectId)
    const inUse = ctx.sqlite.prepare("SELECT count(*) AS n FROM email_sending_profiles WHERE object_id = ? AND transport = 'mailgun'").get(objectId) as { n: number }
    if (inUse.n > 0) throw new AppError('CONFLICT', `${inUse.n} sender profile(s) send through Mailgun. Switch them to a mailbox first.`, 'objectId')
    ctx.db.delete(objectMailgunSettings).where(eq(objectMailgunSettings.objectId, objectId)).run()
    ctx.emit('objects.changed', {})
    return { objectId }
  },
}
