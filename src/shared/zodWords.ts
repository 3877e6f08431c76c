// zod's own messages ("Too big: expected number to be <=65535") said in words a user understands, per
// issue kind, with the field's label and the limit. A message the contract wrote itself (a custom
// `.min(1, 'Email is required')` or a refine) is already words and is kept as it is.
import type { z } from 'zod'

type Issue = z.core.$ZodIssue

/** zod's English defaults all start like this, and models.ts's bare 'Required'; the contract's own messages never do. */
const ZOD_DEFAULT = /^(Required$|Invalid |Too (big|small): |Unrecognized key)/

/** Labels for inputs whose property name does not read well on its own. */
const LABELS: Record<string, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  displayName: 'Display name',
  replyTo: 'Reply-to',
  objectId: 'Business',
  primaryObjectId: 'Business',
  mailboxId: 'Mailbox',
  mailboxIds: 'Mailboxes',
  profileId: 'Sender profile',
  contactId: 'Contact',
  contactIds: 'Contacts',
  tagId: 'Tag',
  tagIds: 'Tags',
  dailyCapacity: 'Daily sending limit',
  minGapSeconds: 'Minimum gap',
  postalAddress: 'Postal address',
  unsubscribeUrl: 'Unsubscribe page',
  sendingDomain: 'Sending domain',
  apiKey: 'API key',
  bodyHtml: 'Message',
  html: 'Message',
  subject: 'Subject',
  offsetDays: 'Days',
  startHour: 'Start hour',
  endHour: 'End hour',
  timezone: 'Time zone',
  csv: 'File',
  mapping: 'Column mapping',
  user: 'Username',
  host: 'Host',
  port: 'Port',
  secure: 'Security',
  password: 'Password',
  signatureHtml: 'Signature',
}
const PARENTS: Record<string, string> = { smtp: 'SMTP', imap: 'IMAP' }
const ITEMS: Record<string, string> = { steps: 'step', actions: 'email' }

const words = (key: string): string => {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** "Port" for `port`, "SMTP port" for `smtp.port`, "Subject of step 2" for `steps.1.subject`. */
export function labelOf(path: readonly PropertyKey[]): string {
  const parts = path.map(String)
  const lastName = [...parts].reverse().find((p) => !/^\d+$/.test(p))
  if (lastName === undefined) return 'This value'
  const i = parts.lastIndexOf(lastName)
  let label = LABELS[lastName] ?? words(lastName)
  const parent = parts[i - 1]
  if (parent && PARENTS[parent]) label = `${PARENTS[parent]} ${label.toLowerCase()}`
  if (parts[i - 2] && parent && /^\d+$/.test(parent) && ITEMS[parts[i - 2]!]) label = `${label} of ${ITEMS[parts[i - 2]!]} ${Number(parent) + 1}`
  if (parts[i - 1] === 'fields' && i >= 1) label = lastName
  return label
}

const num = (n: number | bigint): string => (Math.abs(Number(n)) >= 100_000 ? Number(n).toLocaleString('en-US') : String(n))
const plural = (n: number | bigint, one: string, many = `${one}s`) => `${num(n)} ${Number(n) === 1 ? one : many}`

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: 'a date',
  bigint: 'a number',
}

/** The words for one issue, or its own message when the contract wrote one. */
export function wordsOf(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message
  const label = labelOf(issue.path)
  if (issue.message === 'Required') return `${label} is required`
  switch (issue.code) {
    case 'too_big': {
      const max = issue.maximum
      if (issue.origin === 'string') return `${label} is too long: at most ${plural(max, 'character')}`
      if (issue.origin === 'array' || issue.origin === 'set') return `${label}: at most ${plural(max, 'item')}`
      if (issue.origin === 'file') return `${label} is too large`
      return issue.inclusive === false ? `${label} must be less than ${num(max)}` : `${label} must be ${num(max)} or less`
    }
    case 'too_small': {
      const min = issue.minimum
      if (issue.origin === 'string') return Number(min) <= 1 ? `${label} is required` : `${label} is too short: at least ${plural(min, 'character')}`
      if (issue.origin === 'array' || issue.origin === 'set') return Number(min) <= 1 ? `${label}: pick at least one` : `${label}: pick at least ${num(min)}`
      return issue.inclusive === false ? `${label} must be more than ${num(min)}` : `${label} must be ${num(min)} or more`
    }
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return `${label} is required`
      if (/received null$/.test(issue.message)) return `${label} is required`
      return `${label} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`
    }
    case 'invalid_format': {
      if (issue.format === 'email') return 'Not a valid email address'
      if (issue.format === 'url') return `${label} must be a web address, like https://example.com`
      if (issue.format === 'datetime' || issue.format === 'date') return `${label} must be a date`
      if (issue.format === 'regex') return `${label} has characters that are not allowed here`
      return `${label} is not in the expected form`
    }
    case 'invalid_value': {
      const values = issue.values.map(String)
      return values.length <= 6 ? `${label} must be one of: ${values.join(', ')}` : `${label} is not one of the choices`
    }
    case 'invalid_union':
      return `${label} is not valid`
    case 'unrecognized_keys':
      if (issue.keys.length === 1) return `Unknown field "${issue.keys[0]!.slice(0, 80)}"`
      return `Unknown fields: ${issue.keys.slice(0, 5).map((k) => `"${k.slice(0, 80)}"`).join(', ')}${issue.keys.length > 5 ? ` and ${num(issue.keys.length - 5)} more` : ''}`
    case 'not_multiple_of':
      return Number(issue.divisor) === 1 ? `${label} must be a whole number` : `${label} must be a multiple of ${num(issue.divisor)}`
    case 'invalid_key':
    case 'invalid_element':
      return `${label} has a value that is not allowed`
    default:
      return `${label} is not valid`
  }
}

export interface FieldIssue {
  field: string
  message: string
}

/** Every issue in words, in the order zod found them; `field` is '' for an issue about the whole input. */
export function issuesInWords(error: z.ZodError, limit = Infinity): FieldIssue[] {
  return error.issues.slice(0, limit).map((issue) => {
    // An unknown key belongs to its own name, so a form can show it where that input would be.
    const path = issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path
    return { field: path.map(String).join('.'), message: wordsOf(issue) }
  })
}
