// One business: its details, how it sends email, its sender profiles and mailboxes, and deletion.
import { useState, type JSX } from 'react'
import type { BizObject } from '../../../../shared/models'
import { useConfirm } from '../../components/ConfirmDialog'
import { FormError, SelectField, TextAreaField, TextField } from '../../components/Field'
import { countryFromTimezone, countryName, phoneCountries } from '../../../../shared/phones'
import { TimeZoneField } from '../../components/TimeZoneField'
import { useFormAction } from '../../lib/useAction'
import { formatDate, plural } from '../../lib/format'
import { navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import { MailboxesSection } from './MailboxesSection'
import { MailgunSection } from './MailgunSection'
import { TwilioSection } from './TwilioSection'
import { ProfilesSection } from './ProfilesSection'
import { RetentionSection } from './RetentionSection'
import { useBusinessChildren } from './useBusinessChildren'
// intake (issue 18): receiving through Mailgun and web-form rules
import { IntakeRulesSection } from '../intake/IntakeRulesSection'
import { MailgunReceivingSection } from '../intake/MailgunReceivingSection'
import { Form } from '../../components/Form'
import { Card } from '../../components/Card'

export function BusinessDetail({ object }: { object: BizObject }): JSX.Element {
  const children = useBusinessChildren(object.id)
  const deleting = useConfirm(() => ({
    title: `Delete ${object.name}?`,
    message: 'This removes the business, its Mailgun settings, mailboxes and sender profiles, and the copies of their mail on this computer (the mail on the servers is untouched). This cannot be undone.',
    confirmLabel: 'Delete business',
    onConfirm: async () => {
      await rpc('objects.delete', { id: object.id })
      await useApp.getState().loadObjects()
      toastOk(`${object.name} deleted`)
      navigate({ name: 'businesses' })
    },
  }))
  return (
    <div className="detail">
      <div className="detail-head">
        <h2 className="detail-title">{object.name}</h2>
        <p className="detail-meta">
          {plural(object.contactCount, 'contact')} · created {formatDate(object.createdAt)}
        </p>
      </div>
      <DetailsCard object={object} />
      <MailgunSection object={object} />
      <MailgunReceivingSection object={object} />
      <TwilioSection object={object} />
      <ProfilesSection object={object} profiles={children.profiles} mailboxes={children.mailboxes} />
      <MailboxesSection object={object} mailboxes={children.mailboxes} />
      <IntakeRulesSection object={object} />
      <RetentionSection object={object} />
      <Card
        id="danger-title"
        title="Delete this business"
        help="Its sender profiles and settings are removed. Contacts are never deleted with it: move or delete them first."
        className="card-danger"
        actions={
          <button type="button" className="btn btn-danger-outline" onClick={() => deleting.ask()}>
            Delete business
          </button>
        }
      />
      {deleting.dialog}
    </div>
  )
}

function DetailsCard({ object }: { object: BizObject }): JSX.Element {
  const [name, setName] = useState(object.name)
  const [postalAddress, setPostalAddress] = useState(object.postalAddress)
  const [timezone, setTimezone] = useState(object.timezone)
  const [unsubscribeUrl, setUnsubscribeUrl] = useState(object.unsubscribeUrl ?? '')
  // issue 17: '' = follow the time zone
  const [country, setCountry] = useState(object.countrySet && object.country ? object.country : '')
  const { busy, errors, run } = useFormAction((f) => ['name', 'postalAddress', 'timezone', 'unsubscribeUrl', 'country'].includes(f), { stays: true })
  const dirty =
    name !== object.name ||
    postalAddress !== object.postalAddress ||
    timezone !== object.timezone ||
    unsubscribeUrl.trim() !== (object.unsubscribeUrl ?? '') ||
    country !== (object.countrySet && object.country ? object.country : '')

  const save = () =>
    run(async () => {
      const saved = await rpc('objects.update', { id: object.id, name, postalAddress, timezone, unsubscribeUrl: unsubscribeUrl.trim() || null, country: country || null })
      setUnsubscribeUrl(saved.unsubscribeUrl ?? '')
      await useApp.getState().loadObjects()
      toastOk('Business details saved')
    })

  return (
    <Card id="details-title" title="Details">
      <Form className="card-body" onSubmit={save}>
        <div className="form-grid">
          <TextField label="Business name" value={name} onChange={setName} error={errors.fields.name} className="span-2" />
          <TimeZoneField value={timezone} onChange={setTimezone} error={errors.fields.timezone} />
          <CountryField value={country} onChange={setCountry} timezone={timezone} error={errors.fields.country} />
          <TextAreaField label="Postal address" value={postalAddress} onChange={setPostalAddress} error={errors.fields.postalAddress} rows={2} className="span-2" hint="Printed in the footer of marketing emails." />
          <TextField
            label="Unsubscribe page"
            optional
            type="url"
            placeholder="https://example.com/unsubscribe"
            value={unsubscribeUrl}
            onChange={setUnsubscribeUrl}
            error={errors.fields.unsubscribeUrl}
            className="span-2"
            hint="Your own opt-out page for automated emails. The contact's address is added to the link, and mail providers may POST to it for one-click unsubscribe. Leave it blank and the link emails you instead; Switchboard unsubscribes whoever writes."
          />
        </div>
        <FormError message={errors.form} />
        <div className="card-actions">
          <button type="submit" className="btn btn-primary" disabled={!dirty || busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </Form>
    </Card>
  )
}

const COUNTRIES = phoneCountries()

/** The country phone numbers without a country code are read by (issue 17); blank follows the time zone. */
function CountryField({ value, onChange, timezone, error }: { value: string; onChange: (v: string) => void; timezone: string; error?: string }): JSX.Element {
  const implied = countryFromTimezone(timezone)
  return (
    <SelectField
      label="Country"
      value={value}
      onChange={onChange}
      error={error}
      hint="Phone numbers typed without a country code are read as this country."
      options={[
        { value: '', label: implied ? `${countryName(implied).replace(/^the /, '')} (from the time zone)` : 'None (numbers need a country code)' },
        ...COUNTRIES.map((c) => ({ value: c.code, label: `${c.name} (+${c.callingCode})` })),
      ]}
    />
  )
}
