// The human-readable page of a contact's export (summary.html): who they are, what they agreed to, what the
// business did with their data, and every message in a table. Plain HTML with its own small style, readable in
// any browser without the app; every value is escaped.
import type { Consent } from '../../../shared/consent'
import type { automationFor, contactRecord, tasksFor } from '../repos/contactExport'

export interface SummaryLine {
  date: string
  direction: string
  from: string
  subject: string
  attachments: number
}

interface Summary {
  exportedAt: string
  contact: NonNullable<ReturnType<typeof contactRecord>>
  consent: { current: Consent[]; history: Consent[] }
  notes: number
  tasks: ReturnType<typeof tasksFor>
  automation: ReturnType<typeof automationFor>
  outbox: number
  lines: SummaryLine[]
}

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)
const day = (isoTime: string | null): string => (isoTime ? isoTime.replace('T', ' ').slice(0, 16) + ' UTC' : '—')
const row = (cells: unknown[]): string => `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`
const table = (head: string[], rows: string[], empty: string): string =>
  rows.length ? `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>` : `<p class="muted">${esc(empty)}</p>`

export function summaryHtml(s: Summary): string {
  const c = s.contact
  const name = `${c.firstName} ${c.lastName}`.trim() || c.email || `Contact ${c.id}`
  const sent = s.lines.filter((l) => l.direction === 'out').length
  const facts: Array<[string, unknown]> = [
    ['Email', [c.email, ...c.extraEmails].filter(Boolean).join(', ') || '—'],
    ['Business', c.business ?? '—'],
    ['Company', c.company || '—'],
    ['Phone', c.phone || '—'],
    ['Time zone', c.timezone ?? '—'],
    ['Status', c.status],
    ['Tags', c.tags.map((t) => t.name).join(', ') || '—'],
    ['In our records since', day(c.createdAt)],
    ...Object.entries(c.fields as Record<string, string>).map(([k, v]): [string, unknown] => [k, v]),
  ]
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Data held about ${esc(name)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}.muted{color:#656d76}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem}dt{color:#656d76}dd{margin:0}
</style></head><body>
<h1>Data held about ${esc(name)}</h1>
<p class="muted">Exported ${esc(day(s.exportedAt))} by Switchboard. The files beside this page hold the same data for machines: contact.json, messages.jsonl and the attachments folder.</p>
<h2>Who</h2>
<dl>${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<h2>Consent</h2>
${table(['Channel', 'Answer', 'Source', 'Since'], s.consent.current.map((x) => row([x.channel, x.status, x.source, day(x.at)])), 'Never asked: no consent recorded.')}
${s.consent.history.length ? `<p class="muted">History</p>${table(['When', 'Channel', 'Answer', 'Source'], s.consent.history.map((x) => row([day(x.at), x.channel, x.status, x.source])), '')}` : ''}
<h2>What we did</h2>
<dl>
<dt>Messages</dt><dd>${s.lines.length} (${s.lines.length - sent} received, ${sent} sent)</dd>
<dt>Outbox entries</dt><dd>${s.outbox}</dd>
<dt>Notes</dt><dd>${s.notes}</dd>
<dt>Tasks</dt><dd>${s.tasks.length}</dd>
</dl>
${table(['Automation', 'Name', 'Status', 'Since'], [
    ...s.automation.sequences.map((x) => row(['Sequence', x.sequence, x.status, day(x.enrolledAt)])),
    ...s.automation.flows.map((x) => row(['Flow', x.flow, x.status, day(x.enteredAt)])),
    ...s.automation.autoresponders.map((x) => row(['Autoresponder', x.autoresponder, x.status, day(x.at)])),
  ], 'No automation was run for this person.')}
<h2>Messages</h2>
${table(['Date', 'Direction', 'From', 'Subject', 'Files'], s.lines.map((l) => row([day(l.date), l.direction === 'in' ? 'Received' : 'Sent', l.from, l.subject || '(no subject)', l.attachments || ''])), 'No messages.')}
</body></html>
`
}
