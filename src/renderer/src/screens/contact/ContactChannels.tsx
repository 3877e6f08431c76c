// The contact page's "Preferred channel" (issue 17, seed 003): what a message sent with fallback tries first
// for this person; consent and their addresses still decide what can go.
import { useState, type JSX } from 'react'
import type { OutboxChannel } from '../../../../shared/channels'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError } from '../../store'
import '../../styles/textSteps.css'

const LABEL: Record<OutboxChannel, string> = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp' }
const ORDER: OutboxChannel[] = ['email', 'whatsapp', 'sms']

export function ContactChannels({ contactId }: { contactId: number }): JSX.Element {
  const pref = useQuery('communications.preference', { contactId }, { events: [{ event: 'contacts.changed', when: (p) => !p.ids || p.ids.includes(contactId) }] })
  const [saving, setSaving] = useState(false)
  const channel = pref.data?.channel ?? null
  const set = async (value: string) => {
    setSaving(true)
    try {
      await rpc('communications.setPreference', { contactId, channel: value ? (value as OutboxChannel) : null })
      pref.reload()
    } catch (err) {
      toastError(err)
    } finally {
      setSaving(false)
    }
  }
  const order = channel ? [channel, ...ORDER.filter((c) => c !== channel)] : ORDER
  return (
    <section className="card" aria-labelledby="c-channels">
      <div className="card-header">
        <h3 id="c-channels">Reaching them</h3>
      </div>
      <div className="card-body contact-channels">
        <label className="contact-channels-row">
          <span>Preferred channel</span>
          <select className="input select" value={channel ?? ''} disabled={saving || pref.data === undefined} onChange={(e) => void set(e.target.value)}>
            <option value="">No preference</option>
            {ORDER.map((c) => (
              <option key={c} value={c}>
                {LABEL[c]}
              </option>
            ))}
          </select>
        </label>
        <p className="field-hint">Messages sent with fallback try {order.map((c) => LABEL[c]).join(' → ')}, skipping a channel they opted out of or have no address for.</p>
      </div>
    </section>
  )
}
