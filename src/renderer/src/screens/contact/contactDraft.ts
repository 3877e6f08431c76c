// The profile form's state, and its translation to a `contacts.update` patch.
import type { Input } from '../../../../shared/contract'
import type { Contact } from '../../../../shared/models'

export interface ContactDraft {
  email: string
  firstName: string
  lastName: string
  company: string
  phone: string
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
    phone: c.phone,
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
    phone: d.phone,
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

export const sameDraft = (a: ContactDraft, b: ContactDraft): boolean => JSON.stringify(a) === JSON.stringify(b)
