// The contact page's "Privacy & data" card (issue 18): consent per channel (answer, source, since when, and its
// history), changed by staff on the spot (recorded as 'manual' and audited), and the person's two rights: a copy of
// everything held about them (Export) and being forgotten (Erase, behind a typed confirmation).
import { useState, type JSX } from 'react'
import type { Channel, Consent, ConsentStatus } from '../../../../shared/consent'
import type { Contact } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { formatDate } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import '../../styles/dataRights.css'
import { EraseDialog } from './EraseDialog'
import { Card } from '../../components/Card'

const CHANNELS: Array<{ channel: Channel; label: string }> = [
  { channel: 'email', label: 'Email' },
  { channel: 'sms', label: 'SMS' },
  { channel: 'whatsapp', label: 'WhatsApp' },
]
const SOURCE: Record<string, string> = { manual: 'by staff', import: 'import', form: 'web form', unsubscribe: 'unsubscribe link', 'inbound:STOP': 'replied STOP' }
const sourceWords = (s: string): string => SOURCE[s] ?? s

export function ContactPrivacy({ contact, name }: { contact: Contact; name: string }): JSX.Element {
  const consent = useQuery('contacts.consent', { id: contact.id }, { events: [{ event: 'contacts.changed', when: (p) => !p.ids || p.ids.includes(contact.id) }] })
  const [exporting, setExporting] = useState(false)
  const [exported, setExported] = useState<string | null>(null)
  const [erasing, setErasing] = useState(false)
  const [history, setHistory] = useState(false)

  const set = async (channel: Channel, status: ConsentStatus) => {
    try {
      await rpc('contacts.setConsent', { id: contact.id, channel, status })
      consent.reload()
    } catch (err) {
      toastError(err)
    }
  }
  const exportNow = async () => {
    setExporting(true)
    try {
      const r = await rpc('contacts.export', { id: contact.id })
      setExported(r.path)
      toastOk(`Exported ${name}’s data`)
    } catch (err) {
      toastError(err)
    } finally {
      setExporting(false)
    }
  }
  const byChannel = new Map<Channel, Consent>((consent.data?.current ?? []).map((c) => [c.channel, c]))
  return (
    <Card id="c-privacy" title={<>Privacy &amp; data</>}>
      <div className="card-body privacy-body">
        <ul className="consent-list" aria-label="Consent">
          {CHANNELS.map(({ channel, label }) => {
            const c = byChannel.get(channel)
            return (
              <li key={channel} className="consent-row">
                <span className="consent-channel">{label}</span>
                <select
                  className={`input select consent-select consent-${c?.status ?? 'none'}`}
                  aria-label={`${label} consent`}
                  value={c?.status ?? ''}
                  onChange={(e) => void set(channel, e.target.value as ConsentStatus)}
                >
                  {!c && <option value="">Not asked</option>}
                  <option value="granted">Granted</option>
                  <option value="revoked">Withdrawn</option>
                </select>
                <span className="consent-meta">{c ? `${sourceWords(c.source)} · since ${formatDate(c.at)}` : 'Never asked'}</span>
              </li>
            )
          })}
        </ul>
        {(consent.data?.history.length ?? 0) > 0 && (
          <button type="button" className="btn btn-sm btn-ghost privacy-history-toggle" aria-expanded={history} onClick={() => setHistory(!history)}>
            {history ? 'Hide history' : `History (${consent.data!.history.length})`}
          </button>
        )}
        {history && consent.data && (
          <ol className="consent-history" aria-label="Consent history">
            {[...consent.data.history].reverse().map((h, i) => (
              <li key={i}>
                <time dateTime={h.at}>{formatDate(h.at)}</time> · {CHANNELS.find((x) => x.channel === h.channel)?.label ?? h.channel}{' '}
                {h.status === 'granted' ? 'granted' : 'withdrawn'} ({sourceWords(h.source)})
              </li>
            ))}
          </ol>
        )}
        <div className="privacy-actions">
          <button type="button" className="btn btn-sm" onClick={() => void exportNow()} disabled={exporting}>
            <Icon name="download" /> {exporting ? 'Exporting…' : 'Export data'}
          </button>
          <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setErasing(true)}>
            <Icon name="trash" /> Erase…
          </button>
        </div>
        {exported && (
          <p className="privacy-note" role="status">
            Saved as <code className="privacy-path">{exported}</code>. Open summary.html inside the zip for a readable copy.
          </p>
        )}
      </div>
      {erasing && <EraseDialog contact={contact} name={name} onClose={() => setErasing(false)} />}
    </Card>
  )
}
