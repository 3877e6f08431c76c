// Step 1: name, postal address and time zone of the first business, or a sample workspace instead.
import { useState, type JSX } from 'react'
import type { BizObject } from '../../../../shared/models'
import { FormError, TextAreaField, TextField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { TimeZoneField } from '../../components/TimeZoneField'
import { useFormErrors } from '../../lib/errors'
import { localZone } from '../../lib/timezones'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { Form } from '../../components/Form'

export function StepBusiness({ object, onSaved, onDemo }: { object: BizObject | null; onSaved: (o: BizObject) => void; onDemo: () => void }): JSX.Element {
  const [name, setName] = useState(object?.name ?? '')
  const [postalAddress, setPostalAddress] = useState(object?.postalAddress ?? '')
  const [timezone, setTimezone] = useState(object?.timezone ?? localZone())
  const [busy, setBusy] = useState<'save' | 'demo' | null>(null)
  const errors = useFormErrors()

  const save = async () => {
    setBusy('save')
    errors.clear()
    try {
      const input = { name, postalAddress, timezone }
      const saved = object ? await rpc('objects.update', { id: object.id, ...input }) : await rpc('objects.create', input)
      void useApp.getState().loadObjects()
      onSaved(saved)
    } catch (err) {
      errors.take(err, (f) => ['name', 'postalAddress', 'timezone'].includes(f))
      setBusy(null)
    }
  }

  const demo = async () => {
    setBusy('demo')
    errors.clear()
    try {
      await rpc('app.seedDemo', {})
      await Promise.all([useApp.getState().loadObjects(), useApp.getState().loadTags()])
      onDemo()
    } catch (err) {
      errors.take(err, () => false)
      setBusy(null)
    }
  }

  return (
    <Form className="onboarding-step" onSubmit={save}>
      <h2>Tell us about your business</h2>
      <p className="step-help">You can add more businesses later. Each one keeps its own contacts, mailboxes and sender profiles.</p>
      <TextField label="Business name" value={name} onChange={setName} error={errors.fields.name} placeholder="e.g. Bloom Hair Studio" autoFocus />
      <TextAreaField
        label="Postal address"
        value={postalAddress}
        onChange={setPostalAddress}
        error={errors.fields.postalAddress}
        rows={2}
        optional
        placeholder="12 Elm Street, Boston, MA 02108"
        hint="Printed in the footer of marketing emails, as anti-spam laws require."
      />
      <TimeZoneField value={timezone} onChange={setTimezone} error={errors.fields.timezone} />
      <FormError message={errors.form} />
      <div className="step-actions">
        {!object && (
          <button type="button" className="btn" onClick={demo} disabled={busy !== null}>
            <Icon name="sparkle" />
            {busy === 'demo' ? 'Adding sample data…' : 'Explore with sample data'}
          </button>
        )}
        <span className="spacer" />
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {busy === 'save' ? 'Saving…' : 'Continue'}
        </button>
      </div>
    </Form>
  )
}
