// A contact's phone numbers (issue 17): what contacts.create|update were given, read by the business's country
// into E.164, every bad number named at once; and the one-time pass over numbers typed before migration 0020.
import type { z } from 'zod'
import { toE164, type ContactPhone, type PhoneInput } from '../../../shared/phones'
import type { FieldError } from '../../../shared/result'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { contactsWithLoosePhones, phonesOf, replacePhones } from '../repos/contactPhones'
import { deleteSetting, getSetting } from '../repos/settings'
import { businessCountry } from './objects'

type ParsedPhone = z.output<typeof PhoneInput>

/**
 * The contact's numbers after this input, primary first; null when the input leaves them as they are.
 * `phones` replaces the list (its `primary`, else the first, is the primary); `phone` alone replaces the primary's
 * number ('' removes it and the next becomes primary); both: `phone` is the primary. A number already stored
 * as typed (from before E.164) is kept as it is when given back unchanged.
 */
export function resolvePhones(
  input: { phone?: string; phones?: ParsedPhone[] },
  current: readonly ContactPhone[],
  country: string | null,
): ContactPhone[] | null {
  if (input.phone === undefined && input.phones === undefined) return null
  const errors: FieldError[] = []
  const stored = new Set(current.map((p) => p.number))
  const read = (raw: string, field: string): string | null => {
    if (stored.has(raw)) return raw
    const r = toE164(raw, country)
    if (r.ok) return r.e164
    errors.push({ field, message: r.message })
    return null
  }
  let list: ContactPhone[]
  if (input.phones !== undefined) {
    list = []
    const seen = new Map<string, number>()
    input.phones.forEach((p, i) => {
      const number = read(p.number, `phones.${i}.number`)
      if (number === null) return
      if (seen.has(number)) {
        errors.push({ field: `phones.${i}.number`, message: `This number is already listed (phone ${seen.get(number)! + 1})` })
        return
      }
      seen.set(number, i)
      list.push({ number, label: p.label, primary: p.primary === true })
    })
    const phone = input.phone?.trim() ? read(input.phone, 'phone') : null
    if (phone !== null) {
      const existing = list.find((p) => p.number === phone)
      list = existing ? list : [{ number: phone, label: 'mobile', primary: true }, ...list]
      list = list.map((p) => ({ ...p, primary: p.number === phone }))
    }
  } else {
    const phone = input.phone!.trim() ? read(input.phone!, 'phone') : ''
    const [primary, ...rest] = current
    if (phone === '') list = rest
    else if (phone === null) list = [...current]
    else if (current.some((p) => p.number === phone)) list = current.map((p) => ({ ...p, primary: p.number === phone }))
    else list = [{ number: phone, label: primary?.label ?? 'mobile', primary: true }, ...rest]
  }
  if (errors.length) throw new AppError('VALIDATION', errors[0]!.message, errors[0]!.field, errors)
  return withOnePrimary(list)
}

/** Exactly one primary when there are numbers (the flagged one, else the first), and it comes first. */
function withOnePrimary(list: ContactPhone[]): ContactPhone[] {
  if (list.length === 0) return list
  const at = Math.max(0, list.findIndex((p) => p.primary))
  const primary = { ...list[at]!, primary: true }
  return [primary, ...list.filter((_, i) => i !== at).map((p) => ({ ...p, primary: false }))]
}

/** The numbers a contacts.create|update input gives a contact of this business (see resolvePhones). */
export const phonesForInput = (ctx: Ctx, objectId: number | null, input: { phone?: string; phones?: ParsedPhone[] }, current: readonly ContactPhone[]) =>
  resolvePhones(input, current, businessCountry(ctx, objectId))

/**
 * Once after migration 0020: every number typed before it is read into E.164 by its business's country where
 * it can be; the rest stay exactly as typed (a user's words), shown as they are and fixed when next edited.
 */
export function normalizeStoredPhones(ctx: Ctx, log?: (m: string) => void): void {
  if (getSetting(ctx, PENDING) === null) return
  let changed = 0
  ctx.sqlite.transaction(() => {
    const now = ctx.clock.now()
    const countries = new Map<number | null, string | null>()
    for (const { contactId, objectId } of contactsWithLoosePhones(ctx)) {
      if (!countries.has(objectId)) countries.set(objectId, businessCountry(ctx, objectId))
      const current = phonesOf(ctx, [contactId]).get(contactId) ?? []
      const seen = new Set<string>()
      const next: ContactPhone[] = []
      for (const p of current) {
        const r = toE164(p.number, countries.get(objectId))
        const number = r.ok ? r.e164 : p.number
        if (seen.has(number)) continue
        seen.add(number)
        next.push({ ...p, number })
      }
      if (next.some((p, i) => p.number !== current[i]?.number) || next.length !== current.length) changed++
      replacePhones(ctx, contactId, withOnePrimary(next), now)
    }
    deleteSetting(ctx, PENDING)
  })()
  log?.(`phones: ${changed} contacts' numbers read into E.164`)
}

const PENDING = 'phones.normalizePending'
