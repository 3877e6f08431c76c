// "New contact": the fields a person usually has; the rest is edited on their profile afterwards.
import { useState, type JSX } from 'react'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError, SelectField, TextField } from '../../components/Field'
import { TimeZoneField } from '../../components/TimeZoneField'
import { useFormAction } from '../../lib/useAction'
import { displayName } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'

const FIELDS = ['email', 'firstName', 'lastName', 'company', 'phone', 'primaryObjectId', 'timezone']

export function NewContactDialog({ defaultObjectId, onClose }: { defaultObjectId: number | null; onClose: () => void }): JSX.Element {
  const objects = useApp((s) => s.objects) ?? []
  const [form, setForm] = useState({
    email: '',
    firstName: '',
    lastName: '',
    company: '',
    phone: '',
    objectId: String(defaultObjectId ?? (objects.length === 1 ? objects[0].id : '')),
    timezone: '',
  })
  const { busy, errors, run } = useFormAction((f) => FIELDS.includes(f))
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }))

  const save = () =>
    run(async () => {
      const created = await rpc('contacts.create', {
        email: form.email.trim() ? form.email : null,
        firstName: form.firstName,
        lastName: form.lastName,
        company: form.company,
        phone: form.phone,
        primaryObjectId: form.objectId ? Number(form.objectId) : null,
        timezone: form.timezone || null,
      })
      toastOk(`${displayName(created)} added`)
      onClose()
    })

  return (
    <Dialog
      title="New contact"
      onClose={onClose}
      onSubmit={save}
      footer={<DialogActions onCancel={onClose} label="Add contact" busyLabel="Adding…" busy={busy} />}
    >
      <div className="form-grid">
        <TextField label="Email" type="email" value={form.email} onChange={(email) => set({ email })} error={errors.fields.email} autoFocus className="span-2" />
        <TextField label="First name" value={form.firstName} onChange={(firstName) => set({ firstName })} error={errors.fields.firstName} />
        <TextField label="Last name" value={form.lastName} onChange={(lastName) => set({ lastName })} error={errors.fields.lastName} />
        <TextField label="Company" value={form.company} onChange={(company) => set({ company })} error={errors.fields.company} optional />
        <TextField label="Phone" type="tel" value={form.phone} onChange={(phone) => set({ phone })} error={errors.fields.phone} optional />
        <SelectField
          label="Business"
          value={form.objectId}
          onChange={(objectId) => set({ objectId })}
          options={[{ value: '', label: 'No business' }, ...objects.map((o) => ({ value: String(o.id), label: o.name }))]}
          error={errors.fields.primaryObjectId}
        />
        <TimeZoneField value={form.timezone} onChange={(timezone) => set({ timezone })} error={errors.fields.timezone} allowNone optional />
      </div>
      <FormError message={errors.form} />
    </Dialog>
  )
}
