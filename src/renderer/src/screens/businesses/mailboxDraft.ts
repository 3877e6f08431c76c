// The mailbox form's state and its translation to the contract. Passwords are write-only: a blank
// password on an existing mailbox means "keep the saved one".
import type { Input } from '../../../../shared/contract'
import type { Mailbox, ServerView } from '../../../../shared/models'
import { imapHostFor, suggestSettings } from '../../../../shared/providers'
import type { z } from 'zod'
import { issuesInWords } from '../../../../shared/zodWords'

export type Security = 'tls' | 'starttls' | 'none'
export type SentCopy = Mailbox['sentCopy']
export interface ServerDraft {
  host: string
  port: string
  secure: Security
  user: string
  password: string
  hasPassword: boolean
}
export interface MailboxDraft {
  email: string
  displayName: string
  dailyCapacity: string
  minGapSeconds: string
  sentCopy: SentCopy
  smtp: ServerDraft
  imapEnabled: boolean
  imap: ServerDraft
  /** Server settings still as offered from the address (a new address offers new ones); false once edited. */
  auto: boolean
  /** The IMAP host and user still follow the SMTP ones (false once the IMAP host is edited). */
  imapFollows: boolean
  /** The provider the settings came from, with its app-password advice; null for a guess or typed settings. */
  provider: { name: string | null; passwordHint: string | null } | null
  /** How much mail the sync keeps: 'all', or a number of months (issue 23). */
  syncWindow: string
}

/** The sync window's choices, as Thunderbird and Outlook offer them. */
export const SYNC_WINDOW_OPTIONS = [
  { value: 'all', label: 'All mail' },
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
  { value: '24', label: 'Last 24 months' },
]
export const syncWindowLabel = (months: number | null | undefined): string =>
  months == null ? 'All mail' : (SYNC_WINDOW_OPTIONS.find((o) => o.value === String(months))?.label ?? `Last ${months} months`)
const syncWindowMonths = (d: MailboxDraft): number | null => (d.syncWindow === 'all' ? null : Number(d.syncWindow))

export const DEFAULT_PORTS: Record<'smtp' | 'imap', Record<Security, string>> = {
  smtp: { tls: '465', starttls: '587', none: '25' },
  imap: { tls: '993', starttls: '143', none: '143' },
}

const serverDraft = (kind: 'smtp' | 'imap', view?: ServerView | null): ServerDraft =>
  view
    ? { host: view.host, port: String(view.port), secure: view.secure, user: view.user, password: '', hasPassword: view.hasPassword }
    : { host: '', port: DEFAULT_PORTS[kind].tls, secure: 'tls', user: '', password: '', hasPassword: false }

export function mailboxDraft(m?: Mailbox): MailboxDraft {
  return {
    email: m?.email ?? '',
    displayName: m?.displayName ?? '',
    dailyCapacity: String(m?.dailyCapacity ?? 200),
    minGapSeconds: String(m?.minGapSeconds ?? 30),
    sentCopy: m?.sentCopy ?? 'append',
    smtp: serverDraft('smtp', m?.smtp),
    imapEnabled: Boolean(m?.imap),
    imap: serverDraft('imap', m?.imap),
    auto: !m,
    imapFollows: !m,
    provider: null,
    syncWindow: m?.syncWindowMonths == null ? 'all' : String(m.syncWindowMonths),
  }
}

/** A new address: while the settings are still the offered ones, offer the ones that go with it. */
export function withEmail(d: MailboxDraft, email: string): MailboxDraft {
  const next = { ...d, email }
  if (!d.auto) return next
  const s = suggestSettings(email)
  if (!s) return { ...next, provider: null }
  const server = (cur: ServerDraft, p: { host: string; port: number; secure: Security }): ServerDraft => ({ ...cur, host: p.host, port: String(p.port), secure: p.secure })
  return { ...next, smtp: server(d.smtp, s.smtp), imap: server(d.imap, s.imap), sentCopy: s.sentCopy, provider: { name: s.name, passwordHint: s.passwordHint } }
}

/** SMTP settings typed by hand: no longer the offered ones; IMAP follows the host and user while it may. */
export function withSmtp(d: MailboxDraft, smtp: ServerDraft): MailboxDraft {
  const hostChanged = smtp.host !== d.smtp.host || smtp.port !== d.smtp.port || smtp.secure !== d.smtp.secure
  const next: MailboxDraft = { ...d, smtp, auto: d.auto && !hostChanged, provider: hostChanged ? null : d.provider }
  if (!d.imapFollows) return next
  return { ...next, imap: { ...d.imap, host: smtp.host.trim() ? imapHostFor(smtp.host) : d.imap.host, user: smtp.user } }
}

export function withImap(d: MailboxDraft, imap: ServerDraft): MailboxDraft {
  const edited = imap.host !== d.imap.host || imap.user !== d.imap.user
  return { ...d, imap, auto: d.auto && imap.port === d.imap.port && imap.secure === d.imap.secure && !edited, imapFollows: d.imapFollows && !edited }
}

/** What the set-up test is given: typed passwords, or none to use the saved ones (an existing mailbox). */
export function toMailboxTest(d: MailboxDraft, mailboxId?: number): Input<'mailboxes.test'> {
  const one = (s: ServerDraft, prefix: string, fallbackPassword?: string) => {
    const password = s.password || fallbackPassword
    if (!password && !(mailboxId && (s.hasPassword || d.smtp.hasPassword))) throw new DraftError(`${prefix}.password`, 'Password is required')
    return { host: s.host.trim(), port: int(s.port, `${prefix}.port`), secure: s.secure, user: s.user.trim() || d.email.trim(), ...(password ? { password } : {}) }
  }
  return {
    ...(mailboxId ? { mailboxId } : {}),
    smtp: one(d.smtp, 'smtp'),
    ...(d.imapEnabled ? { imap: one(d.imap, 'imap', d.smtp.password || undefined) } : {}),
  }
}

/** Numbers typed into text boxes; the field name is reported when one is not a number. */
export class DraftError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

function int(value: string, field: string): number {
  const n = Number(value.trim())
  if (value.trim() === '' || !Number.isInteger(n)) throw new DraftError(field, 'Enter a whole number')
  return n
}

function server(d: ServerDraft, prefix: string, email: string, keepPassword: boolean, fallbackPassword = '') {
  const base = { host: d.host.trim(), port: int(d.port, `${prefix}.port`), secure: d.secure, user: d.user.trim() || email.trim() }
  if (d.password) return { ...base, password: d.password }
  // A new IMAP server without its own password signs in with the SMTP one (the usual case).
  if (fallbackPassword && !(keepPassword && d.hasPassword)) return { ...base, password: fallbackPassword }
  if (keepPassword && d.hasPassword) return base
  throw new DraftError(`${prefix}.password`, 'Password is required')
}

export function toNewMailbox(d: MailboxDraft, objectId: number): Input<'mailboxes.create'> {
  return {
    objectId,
    email: d.email,
    displayName: d.displayName,
    dailyCapacity: int(d.dailyCapacity, 'dailyCapacity'),
    minGapSeconds: int(d.minGapSeconds, 'minGapSeconds'),
    sentCopy: d.sentCopy,
    smtp: server(d.smtp, 'smtp', d.email, false) as { host: string; port: number; secure: Security; user: string; password: string },
    imap: d.imapEnabled ? (server(d.imap, 'imap', d.email, false, d.smtp.password) as { host: string; port: number; secure: Security; user: string; password: string }) : null,
    syncWindowMonths: syncWindowMonths(d),
  }
}

export function toMailboxPatch(d: MailboxDraft, id: number): Input<'mailboxes.update'> {
  return {
    id,
    email: d.email,
    displayName: d.displayName,
    dailyCapacity: int(d.dailyCapacity, 'dailyCapacity'),
    minGapSeconds: int(d.minGapSeconds, 'minGapSeconds'),
    sentCopy: d.sentCopy,
    smtp: server(d.smtp, 'smtp', d.email, true),
    imap: d.imapEnabled ? server(d.imap, 'imap', d.email, true, d.smtp.password) : null,
    syncWindowMonths: syncWindowMonths(d),
  }
}

/**
 * Whether saving would change how the mailbox connects (so the settings are worth testing first): new
 * host, port, security, user or password on either server, or IMAP turned on. A daily limit alone is not.
 */
export function serversChanged(d: MailboxDraft, m: Mailbox): boolean {
  const differs = (s: ServerDraft, v: ServerView | null) =>
    !v || s.host.trim() !== v.host || s.port.trim() !== String(v.port) || s.secure !== v.secure || (s.user.trim() || d.email.trim()) !== v.user || s.password !== ''
  return differs(d.smtp, m.smtp) || (d.imapEnabled && differs(d.imap, m.imap))
}

/**
 * Every problem with what was typed, at once and in words, before anything is tried or saved: numbers that
 * are not numbers, then (when they all are) what the contract would refuse (an address that is not one, a
 * port out of range, a limit of 0). Empty when the settings can be tested.
 */
export function draftProblems(d: MailboxDraft, build: () => unknown, schema: z.ZodType): Record<string, string> {
  const numbers: Array<[string, string]> = [
    ['dailyCapacity', d.dailyCapacity],
    ['minGapSeconds', d.minGapSeconds],
    ['smtp.port', d.smtp.port],
    ...(d.imapEnabled ? ([['imap.port', d.imap.port]] as Array<[string, string]>) : []),
  ]
  const out: Record<string, string> = {}
  for (const [field, value] of numbers) if (value.trim() === '' || !Number.isInteger(Number(value.trim()))) out[field] = 'Enter a whole number'
  if (Object.keys(out).length) return out
  let input: unknown
  try {
    input = build()
  } catch (err) {
    if (err instanceof DraftError) return { [err.field]: err.message }
    throw err
  }
  const parsed = schema.safeParse(input)
  if (parsed.success) return {}
  for (const { field, message } of issuesInWords(parsed.error, 50)) if (field && !(field in out)) out[field] = message
  return out
}
