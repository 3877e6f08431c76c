// The mailbox form's state and its translation to the contract. Passwords are write-only: a blank
// password on an existing mailbox means "keep the saved one".
import type { Input } from '../../../../shared/contract'
import type { Mailbox, ServerView } from '../../../../shared/models'

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
}

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

function server(d: ServerDraft, prefix: string, email: string, keepPassword: boolean) {
  const base = { host: d.host.trim(), port: int(d.port, `${prefix}.port`), secure: d.secure, user: d.user.trim() || email.trim() }
  if (d.password) return { ...base, password: d.password }
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
    imap: d.imapEnabled ? (server(d.imap, 'imap', d.email, false) as { host: string; port: number; secure: Security; user: string; password: string }) : null,
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
    imap: d.imapEnabled ? server(d.imap, 'imap', d.email, true) : null,
  }
}
