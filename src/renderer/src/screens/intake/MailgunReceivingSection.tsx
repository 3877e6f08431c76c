// Receiving through Mailgun (issue 18): for a business on Mailgun without a mailbox, its mail is stored by a
// Mailgun route and fetched by Switchboard (no webhook, nothing to host). Shows whether it is on, the route,
// the last check and what went wrong, in the business's settings under the Mailgun card.
import { useState, type JSX } from 'react'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import type { BizObject } from '../../../../shared/models'
import { FormError, TextField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { useFormErrors } from '../../lib/errors'
import { formatCount, sentence, timeAgo } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import '../../styles/intake.css'
import { Form } from '../../components/Form'
import { DialogActions } from '../../components/Dialog'
import { ConnectionActions } from '../../components/Card'

export function MailgunReceivingSection({ object }: { object: BizObject }): JSX.Element | null {
  const mg = object.mailgun
  const status = useQuery('intake.mailgun.get', mg ? { objectId: object.id } : null, { events: ['intake.changed'] })
  const [editing, setEditing] = useState(false)
  const [addresses, setAddresses] = useState('')
  const [initial, setInitial] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()
  // Typed addresses are not dropped by leaving the screen: it asks Save / Discard / Stay.
  const leaving = useUnsavedChanges({ dirty: editing && addresses !== initial, save: () => enable(), discard: () => setEditing(false), what: 'the receiving addresses' })
  if (!mg) return null
  const s = status.data

  const start = () => {
    const v = s?.addresses.join(', ') || `hello@${mg.sendingDomain}`
    setAddresses(v)
    setInitial(v)
    errors.clear()
    setEditing(true)
  }
  const enable = async (): Promise<boolean> => {
    setBusy(true)
    errors.clear()
    let ok = false
    try {
      const list = addresses.split(/[\s,;]+/).filter(Boolean)
      await rpc('intake.mailgun.enable', { objectId: object.id, addresses: list })
      toastOk('Receiving through Mailgun is on')
      setEditing(false)
      ok = true
    } catch (err) {
      errors.take(err, (f) => f === 'addresses' || f.startsWith('addresses.'))
    }
    setBusy(false)
    return ok
  }
  const disable = async () => {
    setBusy(true)
    try {
      await rpc('intake.mailgun.disable', { objectId: object.id })
      toastOk('Receiving through Mailgun is off')
    } catch (err) {
      errors.take(err)
    }
    setBusy(false)
  }
  const addrError = errors.fields.addresses ?? Object.entries(errors.fields).find(([k]) => k.startsWith('addresses.'))?.[1]

  return (
    <section className="card" aria-labelledby="mg-receiving-title">
      {leaving}
      <div className="card-header">
        <div>
          <h3 id="mg-receiving-title">Receiving through Mailgun</h3>
          <p className="card-help">For a business without a mailbox: Mailgun keeps its incoming mail and Switchboard fetches it into the inbox.</p>
        </div>
        {!editing && (
          <ConnectionActions
            remove={s?.enabled ? { label: 'Stop receiving', onClick: () => void disable(), disabled: busy } : null}
            edit={{ label: s?.enabled ? 'Change addresses' : 'Receive mail through Mailgun', onClick: start }}
          />
        )}
      </div>
      {editing ? (
        <Form className="card-body" onSubmit={enable}>
          <TextField
            label="Receiving addresses"
            value={addresses}
            onChange={setAddresses}
            error={addrError}
            autoFocus
            hint={`Addresses on ${mg.sendingDomain}, separated by commas. Switchboard adds a Mailgun route that stores their mail (or uses one that already does).`}
          />
          <FormError message={errors.form} />
          <div className="card-actions">
            <DialogActions onCancel={() => setEditing(false)} label="Start receiving" busy={busy} />
          </div>
        </Form>
      ) : (
        <dl className="card-body facts" aria-label="Receiving status">
          <div>
            <dt>Receiving</dt>
            <dd data-testid="mg-receiving">
              {s?.enabled ? (
                <span className="badge badge-green">{s.routeId ? `On (route ${s.routeId})` : 'On, setting up the route…'}</span>
              ) : (
                <span className="badge badge-slate">Off</span>
              )}
            </dd>
          </div>
          {s && s.addresses.length > 0 && (
            <div>
              <dt>Addresses</dt>
              <dd>{s.addresses.join(', ')}</dd>
            </div>
          )}
          {s?.enabled && (
            <div>
              <dt>Last check</dt>
              <dd>
                {s.lastPollAt ? timeAgo(s.lastPollAt) : 'Not yet'}
                {s.received > 0 && <span className="muted"> · {formatCount(s.received)} received</span>}
              </dd>
            </div>
          )}
        </dl>
      )}
      {s?.enabled && s.lastError && (
        <div className="mailbox-notice card-notice" role="alert">
          <Icon name="alert" />
          <div className="mailbox-notice-text">
            <strong>Mailgun mail could not be fetched</strong>
            <span>{sentence(s.lastError)} Switchboard tries again on its own.</span>
          </div>
        </div>
      )}
    </section>
  )
}
