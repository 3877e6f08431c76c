// Auto-reply detection: such mail is stored and shown, but never counts as a reply (sequences keep going).
// Signals: RFC 3834 Auto-Submitted, the X-Autoreply/X-Autorespond family, Precedence, and out-of-office subjects.
import type { ParsedMessage } from './types'

const OOO_SUBJECT = new RegExp(
  [
    '^\\s*auto(matic)?[ -]?(reply|response|antwort)\\b',
    'out of (the )?office',
    '\\bautoreply\\b',
    '\\bvacation\\b.*\\b(reply|message|notice)\\b',
    'abwesenheit', // de
    'automatische antwort', // de
    'r[ée]ponse automatique', // fr
    'absence du bureau', // fr
    'respuesta autom[áa]tica', // es
    'fuera de la oficina', // es
    'risposta automatica', // it
    'fuori ufficio', // it
    'resposta autom[áa]tica', // pt
    'fora do escrit[óo]rio', // pt
    'automatisch antwoord', // nl
    'afwezig', // nl
    'autosvar', // sv/da/no
    'automaattinen vastaus', // fi
  ].join('|'),
  'i',
)

export function header(m: Pick<ParsedMessage, 'headers'>, name: string): string | null {
  for (const [k, v] of m.headers) if (k === name) return v
  return null
}

export function isAutoReply(m: Pick<ParsedMessage, 'headers' | 'subject'>): boolean {
  const auto = header(m, 'auto-submitted')
  if (auto !== null && auto.trim().toLowerCase().split(/[;\s]/)[0] !== 'no') return true
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const v = header(m, h)
    if (v !== null && v.trim().toLowerCase() !== 'no') return true
  }
  const prec = header(m, 'precedence')?.trim().toLowerCase()
  if (prec && ['bulk', 'junk', 'list', 'auto_reply', 'auto-reply'].includes(prec)) return true
  return OOO_SUBJECT.test(m.subject)
}

/** Failed recipients of a DSN: action failed, or a permanent 5.x.x status. */
export function failedRecipients(dsn: NonNullable<ParsedMessage['dsn']>): string[] {
  const out = new Set<string>()
  for (const r of dsn.recipients) {
    if (!r.email) continue
    if (r.action.toLowerCase() === 'failed' || /^5\./.test(r.status.trim())) out.add(r.email.trim().toLowerCase())
  }
  return [...out]
}

/**
 * A request sent to the `List-Unsubscribe` mailto of our automated mail (subject "unsubscribe …"), which
 * mail clients' one-click unsubscribe also sends. Only the sender's own address is ever unsubscribed by it,
 * never one named in the subject, so nobody can unsubscribe somebody else.
 */
export function isUnsubscribeRequest(m: Pick<ParsedMessage, 'subject'>): boolean {
  return /^\s*unsubscribe\b/i.test(m.subject)
}
