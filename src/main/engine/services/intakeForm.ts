// Reading a web form's e-mail: `Label: value` lines, or a simple table (HTML rows, tab or | separated text),
// into labelled fields, and the fields into contact values. Pure and bounded: a hostile body (megabytes,
// one endless line, odd encodings) costs at most a scan of FORM_TEXT_MAX characters, never a stall.
import { isEmail, isPhone, normalizeEmail } from '../../../shared/validators'
import type { IntakeField } from '../../../shared/intake'

/** How much of a body is read for fields: forms are short, the rest is ignored. */
export const FORM_TEXT_MAX = 64 * 1024
const HTML_MAX = 256 * 1024
const LINE_MAX = 2000
const LABEL_MAX = 60
export const FIELDS_MAX = 60
const VALUE_MAX = 2000

const key = (label: string): string => label.toLowerCase().replace(/[^a-z0-9]/g, '')

const BUILTIN: Record<string, string> = {}
const add = (target: string, labels: string[]) => labels.forEach((l) => (BUILTIN[key(l)] = target))
add('name', ['name', 'full name', 'your name', 'contact name', 'nom'])
add('firstName', ['first name', 'firstname', 'given name', 'forename', 'fname', 'first'])
add('lastName', ['last name', 'lastname', 'surname', 'family name', 'lname', 'last'])
add('email', ['email', 'e-mail', 'email address', 'e-mail address', 'your email', 'your e-mail', 'mail'])
add('phone', ['phone', 'phone number', 'telephone', 'tel', 'mobile', 'mobile number', 'cell', 'cell phone', 'your phone'])
add('company', ['company', 'company name', 'organisation', 'organization', 'business', 'business name'])
add('custom:message', ['message', 'your message', 'comments', 'comment', 'enquiry', 'inquiry', 'question', 'notes'])

/** A custom field key the contact accepts (letters, digits, space, - and _; 64 at most). */
export const customKey = (label: string): string =>
  label
    .replace(/[^A-Za-z0-9 _-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60) || 'field'

/** Where a label goes: the rule's own mapping first, then the built-in names, else a custom field of that name. */
export function targetOf(label: string, fieldMap: Record<string, string>): string {
  const k = key(label)
  for (const [l, t] of Object.entries(fieldMap)) if (key(l) === k) return t
  return BUILTIN[k] ?? `custom:${customKey(label)}`
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" }
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8}|#39);/gi, (m, e: string) => {
    const lower = e.toLowerCase()
    if (lower in ENTITIES) return ENTITIES[lower]!
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : lower.startsWith('#') ? parseInt(lower.slice(1), 10) : NaN
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m
  })
}

/** HTML as lines: a table row becomes `cell<TAB>cell`, block ends become line breaks, other tags vanish. One linear pass. */
export function htmlFormText(html: string): string {
  const s = html.slice(0, HTML_MAX)
  let out = ''
  let i = 0
  while (i < s.length) {
    const lt = s.indexOf('<', i)
    if (lt < 0) {
      out += s.slice(i)
      break
    }
    out += s.slice(i, lt)
    const gt = s.indexOf('>', lt + 1)
    // An unclosed '<' ends the markup: nothing after it can be a tag.
    if (gt < 0) break
    const tag = /^<\/?\s*([a-z0-9]{1,10})/i.exec(s.slice(lt, Math.min(gt + 1, lt + 14)))?.[1]?.toLowerCase() ?? ''
    const closing = s[lt + 1] === '/'
    if (closing && (tag === 'td' || tag === 'th')) out += '\t'
    else if (tag === 'br' || (closing && /^(tr|p|div|li|h[1-6]|table)$/.test(tag))) out += '\n'
    i = gt + 1
  }
  return decodeEntities(out)
}

/** The text intake reads: the plain part, or the HTML part when there is no plain one (or it has no fields). */
export function formSource(text: string | null, html: string | null): string {
  const plain = (text ?? '').slice(0, FORM_TEXT_MAX)
  if (html && (!plain.trim() || readFields(plain).length === 0)) return htmlFormText(html).slice(0, FORM_TEXT_MAX)
  return plain
}

const LABEL_RE = /^[\p{L}][\p{L}\p{N} _.'()/#-]*$/u

function splitLine(line: string): { label: string; value: string } | null {
  const trimmed = line.replace(/^[\s*>|-]+/, '')
  // The first separator within a label's length: ':' (Name: Ann), a tab (table cells) or '|' (text tables).
  let at = -1
  for (let i = 0; i < Math.min(trimmed.length, LABEL_MAX + 2); i++) {
    const c = trimmed[i]
    if (c === ':' || c === '\t' || c === '|') {
      at = i
      break
    }
  }
  if (at <= 0) return null
  const label = trimmed.slice(0, at).replace(/\*+/g, '').trim()
  if (!label || label.length > LABEL_MAX || !LABEL_RE.test(label)) return null
  const low = label.toLowerCase()
  // "https://…" is a link, not a field.
  if ((low === 'http' || low === 'https' || low === 'mailto') && trimmed[at] === ':') return null
  const value = trimmed
    .slice(at + 1)
    .replace(/[\t|]+/g, ' ')
    .trim()
  return { label, value }
}

/** `Label: value` pairs in order (a label repeated keeps its first value); continuation lines extend a field left empty on its own line. */
export function readFields(source: string): Array<{ label: string; value: string }> {
  const out: Array<{ label: string; value: string }> = []
  const seen = new Set<string>()
  let open: { label: string; value: string } | null = null
  let start = 0
  const text = source.length > FORM_TEXT_MAX ? source.slice(0, FORM_TEXT_MAX) : source
  while (start <= text.length && out.length < FIELDS_MAX) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, Math.min(end, start + LINE_MAX)).replace(/\r$/, '')
    start = end + 1
    const f = splitLine(line)
    if (f) {
      open = null
      if (seen.has(key(f.label))) continue
      seen.add(key(f.label))
      const field = { label: f.label, value: f.value.slice(0, VALUE_MAX) }
      out.push(field)
      if (!f.value) open = field
    } else if (open && line.trim()) {
      open.value = (open.value ? `${open.value}\n` : '') + line.trim()
      open.value = open.value.slice(0, VALUE_MAX)
    } else if (!line.trim()) {
      open = open && open.value ? null : open
    }
  }
  return out.filter((f) => f.value !== '')
}

export interface FormContact {
  email: string | null
  firstName: string
  lastName: string
  phone: string
  company: string
  fields: Record<string, string>
}

/** The fields with where each goes, and the contact values they make (invalid e-mail and phone values become custom fields). */
export function formContact(raw: Array<{ label: string; value: string }>, fieldMap: Record<string, string>): { fields: IntakeField[]; contact: FormContact } {
  const c: FormContact = { email: null, firstName: '', lastName: '', phone: '', company: '', fields: {} }
  let fullName = ''
  const fields: IntakeField[] = []
  for (const { label, value } of raw) {
    let target = targetOf(label, fieldMap)
    const v = value.replace(/\s+/g, ' ').trim()
    if (target === 'email') {
      const e = normalizeEmail(v.replace(/^mailto:/i, '').replace(/^<|>$/g, ''))
      if (isEmail(e) && !c.email) c.email = e
      else target = `custom:${customKey(label)}`
    } else if (target === 'phone') {
      if (isPhone(v) && !c.phone) c.phone = v
      else target = `custom:${customKey(label)}`
    } else if (target === 'firstName' && !c.firstName) c.firstName = v.slice(0, 120)
    else if (target === 'lastName' && !c.lastName) c.lastName = v.slice(0, 120)
    else if (target === 'company' && !c.company) c.company = v.slice(0, 200)
    else if (target === 'name' && !fullName) fullName = v.slice(0, 240)
    if (target.startsWith('custom:')) {
      const k = customKey(target.slice(7))
      if (!(k in c.fields)) c.fields[k] = value.slice(0, VALUE_MAX)
    }
    fields.push({ label, value: value.slice(0, 500), target })
  }
  if (fullName && !c.firstName && !c.lastName) {
    const [first, ...rest] = fullName.split(' ')
    c.firstName = (first ?? '').slice(0, 120)
    c.lastName = rest.join(' ').slice(0, 120)
  }
  return { fields, contact: c }
}
