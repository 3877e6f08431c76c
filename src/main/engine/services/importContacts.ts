// CSV import: map columns, validate every row, upsert by (object, email). A bad row is reported with its
// spreadsheet row number and field and never stops the others.
import type { z } from 'zod'
import { guessMapping, parseCsv, splitTags } from '../../../shared/csv'
import { duplicateEmailRows, duplicateRowMessage, duplicateTargets } from '../../../shared/importChecks'
import type { ImportContacts, ImportResult, ImportRowError } from '../../../shared/models'
import { AppError } from '../../../shared/result'
import { isEmail, isTimeZone, normalizeEmail } from '../../../shared/validators'
import type { Ctx } from '../context'
import { contactInserter, importMatch, indexContacts, mergeImportedContact, sortNameOf } from '../repos/contacts'
import { objectIdsByName } from '../repos/objects'
import { addContactTag } from '../repos/tags'
import { contactEmailsChanged } from './contacts'
import { requireObject } from './objects'
import { ensureTag, requireTags } from './tags'
import { assertMayEnrol, enroll, getSequence } from './sequences'
import { wakeAutomation } from '../automation/runner'
import { ERASED_WORDS } from './dataRights'
import { addAudit } from '../repos/audit'
import { currentUserId } from '../repos/app'
import { isErased } from '../repos/dataRights'
// issue 17: phones read by the row's business's country into E.164, kept beside the numbers a contact has
import { phoneSearchText, toE164, type ContactPhone, type PhoneLabel } from '../../../shared/phones'
import { insertPhones, phonesOf, replacePhones } from '../repos/contactPhones'
import { businessCountry } from './objects'
// issue 22 item 5: who did what
import { actorEmail } from '../repos/authors'

type Input = z.output<typeof ImportContacts>
const CHUNK = 5000
const MAX_REPORTED_ERRORS = 1000

interface Parsed {
  row: number
  objectId: number | null
  email: string
  values: { firstName?: string; lastName?: string; company?: string; phone?: string; timezone?: string }
  fields: Record<string, string>
  tagNames: string[]
  /** issue 17: the phone column's number as typed and the label its header implies, read after the row's business is known. */
  phone?: { raw: string; label: PhoneLabel }
}

export async function importContacts(ctx: Ctx, input: Input): Promise<ImportResult> {
  const [headers, ...body] = parseCsv(input.csv)
  if (!headers || body.length === 0) throw new AppError('VALIDATION', 'The file has a header row but no contacts', 'csv')
  const mapping = input.mapping ?? guessMapping(headers)
  for (const header of Object.keys(mapping))
    if (!headers.includes(header)) throw new AppError('VALIDATION', `The file has no column "${header}"`, `mapping.${header}`)
  // Two columns on one field would silently overwrite each other cell by cell: refuse and name them all.
  const doubled = duplicateTargets(mapping, headers)
  if (doubled.length) {
    const fields = doubled.flatMap(({ target, headers: hs }) =>
      hs.slice(1).map((h) => ({ field: `mapping.${h}`, message: `"${h}" and "${hs[0]}" are both mapped to ${targetWords(target)}: choose one column for it` })),
    )
    throw new AppError('VALIDATION', fields[0]!.message, fields[0]!.field, fields)
  }
  const columns = headers.map((h) => mapping[h] ?? 'ignore')
  const emailCol = columns.indexOf('email')
  if (emailCol === -1) throw new AppError('VALIDATION', 'Choose the column that holds the email address', 'mapping')

  if (input.objectId != null) requireObject(ctx, input.objectId)
  requireTags(ctx, input.tagIds, 'tagIds')
  if (input.sequenceId !== undefined) {
    getSequence(ctx, input.sequenceId, 'sequenceId')
    assertMayEnrol(ctx, input.sequenceId)
  }
  const objectsByName = objectIdsByName(ctx)
  const countries = new Map<number | null, string | null>()
  const countryOf = (objectId: number | null) => {
    if (!countries.has(objectId)) countries.set(objectId, businessCountry(ctx, objectId))
    return countries.get(objectId)!
  }

  const errors: ImportRowError[] = []
  const report = (row: number, field: string, message: string) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, field, message })
  }

  const valid: Parsed[] = []
  body.forEach((cells, i) => {
    const row = i + 2 // spreadsheet numbering: the header is row 1
    const p = parseRow(cells, columns, headers, row, input.objectId ?? null, objectsByName, report)
    if (p && readPhone(p, countryOf(p.objectId), report)) valid.push(p)
  })
  // The same email twice in one business would merge the rows silently: keep the first, report the rest.
  const dupes = duplicateEmailRows(valid.map((p) => ({ row: p.row, email: p.email, business: String(p.objectId ?? 0) })))
  // Issue 18: a person who was erased is not imported again; the row says why.
  const erased = new Set(valid.filter((p) => isErased(ctx, p.objectId, p.email)).map((p) => p.row))
  const parsed = dupes.size || erased.size ? valid.filter((p) => !dupes.has(p.row) && !erased.has(p.row)) : valid
  for (const [row, firstRow] of dupes) report(row, 'email', duplicateRowMessage(firstRow))
  for (const p of valid) if (erased.has(p.row)) report(p.row, 'email', `${p.email} ${ERASED_WORDS}`)
  errors.sort((a, b) => a.row - b.row)

  const insert = contactInserter(ctx)
  const by = actorEmail(ctx) // issue 22 item 5: who imported them
  const tagCache = new Map<string, number>()
  let imported = 0
  let updated = 0
  let enrolled = 0
  for (let start = 0; start < parsed.length; start += CHUNK) {
    // Each chunk is one transaction; the write queue keeps other writes out, and yielding between chunks
    // keeps reads (the UI) answering during a big import. Re-running an import is safe: it is an upsert.
    const chunk = parsed.slice(start, start + CHUNK)
    ctx.sqlite.transaction(() => {
      const now = ctx.clock.now()
      const created: number[] = []
      const tagged = new Map<number, number[]>()
      const tag = (tagId: number, id: number) => {
        if (addContactTag(ctx, tagId, id, now)) tagged.set(tagId, [...(tagged.get(tagId) ?? []), id])
      }
      const ids: number[] = []
      for (const p of chunk) {
        const id = upsert(ctx, insert, p, now, created, by)
        ids.push(id)
        for (const tagId of input.tagIds) tag(tagId, id)
        for (const name of p.tagNames) {
          let tagId = tagCache.get(name.toLowerCase())
          if (tagId === undefined) tagCache.set(name.toLowerCase(), (tagId = ensureTag(ctx, name)))
          tag(tagId, id)
        }
      }
      indexContacts(ctx, created)
      // Hooks run inside this chunk's transaction: an autoresponder firing commits with the import.
      if (created.length) ctx.hooks.emit('contacts.created', { ids: created })
      contactEmailsChanged(ctx, created)
      for (const [tagId, contactIds] of tagged) ctx.hooks.emit('contacts.tagged', { contactIds, tagId })
      // Enrolment commits with the chunk; re-importing the file enrols nobody twice.
      if (input.sequenceId !== undefined) enrolled += enroll(ctx, { sequenceId: input.sequenceId, contactIds: ids }).enrolled
      imported += created.length
      updated += chunk.length - created.length
    })()
    if (start + CHUNK < parsed.length) await new Promise((r) => setImmediate(r))
  }

  // Issue 18: the audit log keeps counts, never the people.
  ctx.sqlite.transaction(() =>
    addAudit(ctx, { objectId: input.objectId ?? null, userId: currentUserId(ctx), action: 'contacts.import', detail: { imported, updated, skipped: body.length - parsed.length } }, ctx.clock.now()),
  )()
  ctx.emit('contacts.changed', {})
  ctx.emit('tags.changed', {})
  ctx.emit('objects.changed', {})
  if (input.sequenceId !== undefined) {
    ctx.emit('automation.changed', { kind: 'sequences' })
    wakeAutomation(ctx)
  }
  return { imported, updated, skipped: body.length - parsed.length, errors, ...(input.sequenceId !== undefined ? { enrolled } : {}) }
}

const TARGET_WORDS: Record<string, string> = { email: 'Email', firstName: 'First name', lastName: 'Last name', company: 'Company', phone: 'Phone', timezone: 'Time zone', tags: 'Tags', object: 'Business name' }
const targetWords = (t: string): string => (t.startsWith('fields.') ? `the custom field "${t.slice(7)}"` : (TARGET_WORDS[t] ?? t))

function parseRow(
  cells: string[],
  columns: string[],
  headers: string[],
  row: number,
  defaultObjectId: number | null,
  objectsByName: Map<string, number>,
  report: (row: number, field: string, message: string) => void,
): Parsed | null {
  const p: Parsed = { row, objectId: defaultObjectId, email: '', values: {}, fields: {}, tagNames: [] }
  let ok = true
  const bad = (field: string, message: string) => {
    report(row, field, message)
    ok = false
  }
  if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim() !== ''))
    bad('csv', `This row has ${cells.length} cells but the header has ${headers.length}`)
  for (let c = 0; c < columns.length; c++) {
    const target = columns[c]
    const value = (cells[c] ?? '').trim()
    if (target === 'ignore') continue
    if (target === 'email') {
      if (!value) bad('email', 'Email is required')
      else if (!isEmail(value)) bad('email', `"${value.slice(0, 80)}" is not a valid email address`)
      else p.email = normalizeEmail(value)
    } else if (value === '') {
      continue // blank cells never overwrite what a contact already has
    } else if (target === 'phone') {
      p.phone = { raw: value.slice(0, 64), label: labelOfHeader(headers[c] ?? '') }
    } else if (target === 'timezone') {
      if (!isTimeZone(value)) bad('timezone', `"${value.slice(0, 40)}" is not a known time zone`)
      else p.values.timezone = value
    } else if (target === 'tags') {
      p.tagNames = splitTags(value).map((t) => t.slice(0, 80))
    } else if (target === 'object') {
      const id = objectsByName.get(value.toLowerCase())
      if (id === undefined) bad('object', `No object is named "${value.slice(0, 80)}"`)
      else p.objectId = id
    } else if (target === 'firstName' || target === 'lastName' || target === 'company') {
      p.values[target] = value.slice(0, target === 'company' ? 200 : 120)
    } else if (target.startsWith('fields.')) {
      p.fields[target.slice('fields.'.length)] = value.slice(0, 2000)
    }
  }
  return ok ? p : null
}

/** Inserts or updates one parsed row; new ids are pushed onto `created`. Returns the contact id. */
function upsert(ctx: Ctx, insert: ReturnType<typeof contactInserter>, p: Parsed, now: number, created: number[], by: string | null): number {
  const v = p.values
  const existing = importMatch(ctx, p.objectId, p.email)
  if (!existing) {
    const phones: ContactPhone[] = v.phone ? [{ number: v.phone, label: p.phone!.label, primary: true }] : []
    const id = insert(
      { primaryObjectId: p.objectId, email: p.email, firstName: v.firstName ?? '', lastName: v.lastName ?? '', company: v.company ?? '', phone: v.phone ?? '', timezone: v.timezone ?? null, fields: p.fields, phoneSearch: phoneSearchText(phones.map((x) => x.number)), addedBy: by },
      now,
    )
    insertPhones(ctx, id, phones, now)
    created.push(id)
    return id
  }
  // The file's number becomes the primary; the numbers the contact already had are kept beside it.
  if (v.phone) {
    const current = phonesOf(ctx, [existing.id]).get(existing.id) ?? []
    const mine = current.find((x) => x.number === v.phone)
    const rest = current.filter((x) => x.number !== v.phone).map((x) => ({ ...x, primary: false }))
    replacePhones(ctx, existing.id, [{ number: v.phone, label: mine?.label ?? p.phone!.label, primary: true }, ...rest], now)
  }
  const fields = { ...(JSON.parse(existing.fields_json) as Record<string, string>), ...p.fields }
  const sortName = sortNameOf({ firstName: v.firstName ?? existing.first_name, lastName: v.lastName ?? existing.last_name, email: p.email })
  mergeImportedContact(ctx, existing.id, { firstName: v.firstName ?? null, lastName: v.lastName ?? null, company: v.company ?? null, phone: null, timezone: v.timezone ?? null }, fields, sortName, now, by)
  return existing.id
}

/** Reads the row's phone by its business's country; a bad number is the row's error (the row is skipped, reported). */
function readPhone(p: Parsed, country: string | null, report: (row: number, field: string, message: string) => void): boolean {
  if (!p.phone) return true
  const r = toE164(p.phone.raw, country)
  if (r.ok) {
    p.values.phone = r.e164
    return true
  }
  const quoted = `"${p.phone.raw.slice(0, 40)}"`
  const m = r.message
  const said = m.startsWith('That phone number ') ? `${quoted} ${m.slice(18)}` : m.startsWith('That ') ? `${quoted} ${m.slice(5)}` : m.startsWith('Not a valid') ? `${quoted} is not a valid${m.slice(11)}` : `${quoted}: ${m}`
  report(p.row, 'phone', said)
  return false
}

/** "Work phone" → work, "Home" → home, anything else (Phone, Mobile, Cell) → mobile. */
function labelOfHeader(header: string): PhoneLabel {
  if (/work|office|business|bureau/i.test(header)) return 'work'
  if (/home|house/i.test(header)) return 'home'
  return 'mobile'
}
