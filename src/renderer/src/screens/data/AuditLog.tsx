// The audit log (issue 18): exports, erases, imports, consent and settings changes, newest first, a page at a
// time. Entries hold ids and counts only, so they read as "what was done", never whose data it was.
import { useState, type JSX } from 'react'
import type { AuditEntry } from '../../../../shared/consent'
import { EmptyState } from '../../components/EmptyState'
import { formatDate, plural } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastError, useApp } from '../../store'
import '../../styles/dataRights.css'

const CHANNEL: Record<string, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' }
const n = (v: unknown): number => (typeof v === 'number' ? v : 0)

function describe(a: AuditEntry): { what: string; detail: string } {
  const d = a.detail
  switch (a.action) {
    case 'contacts.export':
      return { what: `Exported contact #${d.contactId}’s data`, detail: `${plural(n(d.messages), 'message')}, ${plural(n(d.attachments), 'attachment')}` }
    case 'contacts.erase':
      return { what: `Erased contact #${d.contactId} at their request`, detail: `${plural(n(d.messages), 'message')} deleted, ${plural(n(d.sharedMessages), 'shared message')} redacted, ${plural(n(d.outbox), 'outbox entry', 'outbox entries')} blanked` }
    case 'contacts.import':
      return { what: 'Imported contacts', detail: `${n(d.imported)} new, ${n(d.updated)} updated, ${n(d.skipped)} skipped` }
    case 'consent.change':
      return { what: `Consent for contact #${d.contactId} set by staff`, detail: `${CHANNEL[String(d.channel)] ?? String(d.channel)} ${d.status === 'granted' ? 'granted' : 'withdrawn'}` }
    case 'retention.run':
      return { what: 'Deleted old mail (retention)', detail: `${plural(n(d.messages), 'message')} older than ${String(d.months)} months` }
    case 'settings.change':
      return d.setting === 'retention.months'
        ? { what: 'Changed mail retention', detail: d.to === null ? 'off' : `${String(d.to)} months` }
        : { what: 'Changed business settings', detail: Array.isArray(d.fields) ? d.fields.join(', ') : '' }
    default:
      return { what: a.action, detail: '' }
  }
}

export function AuditLog(): JSX.Element {
  const objects = useApp((s) => s.objects)
  const first = useQuery('audit.list', {}, { events: ['contacts.changed', 'objects.changed'] })
  const [more, setMore] = useState<{ items: AuditEntry[]; cursor: string | null } | null>(null)
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])]
  const cursor = more ? more.cursor : (first.data?.nextCursor ?? null)
  const loadMore = async () => {
    if (!cursor) return
    try {
      const page = await rpc('audit.list', { cursor })
      setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor })
    } catch (err) {
      toastError(err)
    }
  }
  return (
    <section className="card data-card" aria-labelledby="audit-title">
      <div className="data-card-head">
        <h2 id="audit-title">Audit log</h2>
        <span className="muted">Exports, erasures, imports and settings changes</span>
      </div>
      {first.data && items.length === 0 && <EmptyState icon="steps" title="Nothing recorded yet">Exports, erasures, imports and settings changes appear here.</EmptyState>}
      {items.length > 0 && (
        <ul className="audit-list" aria-label="Audit log">
          {items.map((a) => {
            const { what, detail } = describe(a)
            return (
              <li key={a.id} className="audit-row">
                <time className="audit-when" dateTime={a.at}>
                  {formatDate(a.at)}
                </time>
                <div className="audit-what">
                  {what}
                  {detail && <div className="audit-detail">{detail}</div>}
                </div>
                <span className="audit-biz">{a.objectId ? objectName(objects, a.objectId) : 'All businesses'}</span>
              </li>
            )
          })}
        </ul>
      )}
      {cursor && (
        <div className="audit-more">
          <button type="button" className="btn btn-sm" onClick={() => void loadMore()}>
            Show older entries
          </button>
        </div>
      )}
    </section>
  )
}
