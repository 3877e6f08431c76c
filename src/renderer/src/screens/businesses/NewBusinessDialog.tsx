import { useState, type JSX } from 'react'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError, TextAreaField, TextField } from '../../components/Field'
import { TimeZoneField } from '../../components/TimeZoneField'
import { useFormAction } from '../../lib/useAction'
import { navigate } from '../../lib/router'
import { localZone } from '../../lib/timezones'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'

/** Creates a business and opens it, so its sending setup is the next thing the user sees. */
export function NewBusinessDialog({ onClose }: { onClose: () => void }): JSX.Element {
  const [name, setName] = useState('')
  const [postalAddress, setPostalAddress] = useState('')
  const [timezone, setTimezone] = useState(localZone())
  const { busy, errors, run } = useFormAction((f) => ['name', 'postalAddress', 'timezone'].includes(f))

  const save = () =>
    run(async () => {
      const created = await rpc('objects.create', { name, postalAddress, timezone })
      await useApp.getState().loadObjects()
      toastOk(`${created.name} created`)
      onClose()
      navigate({ name: 'businesses', id: created.id })
    })

  return (
    <Dialog
      title="New business"
      description="Each business keeps its own contacts, sending setup and sender profiles."
      onClose={onClose}
      onSubmit={save}
      footer={<DialogActions onCancel={onClose} label="Create business" busyLabel="Creating…" busy={busy} />}
    >
      <TextField label="Business name" value={name} onChange={setName} error={errors.fields.name} autoFocus />
      <TextAreaField label="Postal address" value={postalAddress} onChange={setPostalAddress} error={errors.fields.postalAddress} rows={2} optional />
      <TimeZoneField value={timezone} onChange={setTimezone} error={errors.fields.timezone} />
      <FormError message={errors.form} />
    </Dialog>
  )
}
