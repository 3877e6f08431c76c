// The profile form's state, and its translation to a `contacts.update` patch.
import type { Input } from '../../../../shared/contract'
import type { Contact } from '../../../../shared/models'
import { formatPhone } from '../../../../shared/phones'
import type { PhoneRow } from './PhonesEditor'

export interface ContactDraft {
  email: string
  firstName: string
  lastName: string
  company: string
  /** issue 17: every number, shown formatted; the engine reads them back into E.164. */
  phones: PhoneRow[]
  timezone: string
  objectId: string
  status: Contact['status']
  /** Rows, not a record: the user may type a key that is blank or repeated for a moment. */
  fields: Array<{ key: string; value: string }>
  extraEmails: string[]
}

export function draftOf(c: Contact): ContactDraft {
  return {
    email: c.email ?? '',
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company,
    // No number yet: one empty row to type it in, as the single Phone field was.
    phones: c.phones.length ? c.phones.map((p) => ({ number: formatPhone(p.number), label: p.label, primary: p.primary })) : [{ number: '', label: 'mobile', primary: true }],
    timezone: c.timezone ?? '',
    objectId: c.primaryObjectId === null ? '' : String(c.primaryObjectId),
    status: c.status,
    fields: Object.entries(c.fields).map(([key, value]) => ({ key, value })),
    extraEmails: [...c.extraEmails],
  }
}

export function patchOf(id: number, d: ContactDraft): Input<'contacts.update'> {
  return {
    id,
    email: d.email.trim() ? d.email : null,
    firstName: d.firstName,
    lastName: d.lastName,
    company: d.company,
    // Rows left blank are dropped; PhonesEditor matches the engine's phones.N errors to the rows it sent.
    phones: d.phones.filter((p) => p.number.trim()).map((p) => ({ number: p.number, label: p.label, primary: p.primary })),
    timezone: d.timezone.trim() ? d.timezone : null,
    primaryObjectId: d.objectId ? Number(d.objectId) : null,
    status: d.status,
    fields: Object.fromEntries(d.fields.filter((f) => f.key.trim() !== '').map((f) => [f.key.trim(), f.value])),
    extraEmails: d.extraEmails.map((e) => e.trim()).filter(Boolean),
  }
}

/** Problems we can name before asking the engine: a custom field key used twice. */
export function localErrors(d: ContactDraft): Record<string, string> {
  const seen = new Set<string>()
  const errors: Record<string, string> = {}
  for (const f of d.fields) {
    const key = f.key.trim()
    if (key && seen.has(key)) errors[`fields.${key}`] = 'This field name is used twice'
    seen.add(key)
  }
  return errors
}

/** Blank phone rows are not sent, so adding or removing one is no change. */
const comparable = (d: ContactDraft) => ({ ...d, phones: d.phones.filter((p) => p.number.trim()) })
export const sameDraft = (a: ContactDraft, b: ContactDraft): boolean => JSON.stringify(comparable(a)) === JSON.stringify(comparable(b))
