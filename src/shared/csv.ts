// CSV reading shared by the import screen (preview) and the engine (the real import), so both see the
// same columns and the same guessed mapping.

/** RFC 4180: quoted fields, "" escapes, CRLF or LF, a BOM, and ; or tab as the delimiter when a sheet uses them. */
export function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const delimiter = sniffDelimiter(text)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  const n = text.length
  while (i < n) {
    const ch = text[i]
    if (ch === '"' && field === '') {
      // Quoted field: read up to the closing quote, turning "" into ".
      i++
      let start = i
      for (;;) {
        const q = text.indexOf('"', i)
        if (q === -1) {
          field += text.slice(start)
          i = n
          break
        }
        if (text[q + 1] === '"') {
          field += text.slice(start, q + 1)
          i = q + 2
          start = i
          continue
        }
        field += text.slice(start, q)
        i = q + 1
        break
      }
      continue
    }
    if (ch === delimiter) {
      row.push(field)
      field = ''
      i++
    } else if (ch === '\n' || ch === '\r') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      // Plain run up to the next special character.
      let j = i
      while (j < n) {
        const c = text[j]
        if (c === delimiter || c === '\n' || c === '\r' || c === '"') break
        j++
      }
      if (j === i) j++ // a stray quote inside an unquoted field is kept as text
      field += text.slice(i, j)
      i = j
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  // Blank lines are not rows.
  return rows.filter((r) => r.length > 1 || r[0].trim() !== '')
}

function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, Math.max(0, text.search(/\r?\n/)) || text.length)
  const count = (c: string) => firstLine.split(c).length - 1
  const [best] = [',', ';', '\t'].sort((a, b) => count(b) - count(a))
  return count(best) > 0 ? best : ','
}

export type ImportField = 'email' | 'firstName' | 'lastName' | 'company' | 'phone' | 'timezone' | 'tags' | 'object'

const SYNONYMS: Record<ImportField, string[]> = {
  email: ['email', 'emailaddress', 'e-mail', 'mail', 'primaryemail', 'workemail'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'fname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'lname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'org', 'business', 'account'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'cell', 'telephone', 'tel'],
  timezone: ['timezone', 'tz', 'zone'],
  tags: ['tags', 'tag', 'labels', 'lists'],
  object: ['object', 'objectname', 'brand', 'location'],
}
const LOOKUP = new Map<string, ImportField>(
  Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n.replace(/[^a-z]/g, ''), field as ImportField])),
)

/** "First Name", "first_name", "firstName" and "FIRST-NAME" all become "firstname". */
const squash = (header: string): string => header.toLowerCase().replace(/[^a-z]/g, '')

/** A custom field key made from a header: "Favourite colour!" → "Favourite colour". */
export function fieldKeyFor(header: string): string {
  return header.replace(/[^A-Za-z0-9_ -]/g, '').trim().slice(0, 64) || 'field'
}

/** Guesses what each header means. Unknown headers become custom fields; a repeated target is ignored. */
export function guessMapping(headers: string[]): Record<string, string> {
  const used = new Set<string>()
  const mapping: Record<string, string> = {}
  for (const header of headers) {
    if (header.trim() === '') continue
    const known = LOOKUP.get(squash(header))
    const target = known ?? `fields.${fieldKeyFor(header)}`
    mapping[header] = used.has(target) ? 'ignore' : target
    used.add(target)
  }
  return mapping
}

export const splitTags = (cell: string): string[] =>
  cell
    .split(/[;,|]/)
    .map((t) => t.trim())
    .filter(Boolean)
