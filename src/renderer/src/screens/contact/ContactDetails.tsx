import type { JSX } from 'react'
import { SelectField, TextField } from '../../components/Field'
import { TimeZoneField } from '../../components/TimeZoneField'
import { useApp } from '../../store'
import { STATUS_LABEL } from '../contacts/columns'
import type { ContactDraft } from './contactDraft'
import { PhonesEditor } from './PhonesEditor'

/** The standard contact fields; errors are keyed by the engine's field names. */
export function ContactDetails({ draft, onChange, errors }: { draft: ContactDraft; onChange: (d: ContactDraft) => void; errors: Record<string, string> }): JSX.Element {
  const objects = useApp((s) => s.objects) ?? []
  const set = (patch: Partial<ContactDraft>) => onChange({ ...draft, ...patch })
  return (
    <div className="form-grid">
      <TextField label="Email" type="email" value={draft.email} onChange={(email) => set({ email })} error={errors.email} className="span-2" />
      <TextField label="First name" value={draft.firstName} onChange={(firstName) => set({ firstName })} error={errors.firstName} />
      <TextField label="Last name" value={draft.lastName} onChange={(lastName) => set({ lastName })} error={errors.lastName} />
      <TextField label="Company" value={draft.company} onChange={(company) => set({ company })} error={errors.company} />
      <SelectField
        label="Business"
        value={draft.objectId}
        onChange={(objectId) => set({ objectId })}
        options={[{ value: '', label: 'No business' }, ...objects.map((o) => ({ value: String(o.id), label: o.name }))]}
        error={errors.primaryObjectId}
      />
      <TimeZoneField value={draft.timezone} onChange={(timezone) => set({ timezone })} error={errors.timezone} allowNone />
      <SelectField
        label="Status"
        value={draft.status}
        onChange={(status) => set({ status: status as ContactDraft['status'] })}
        options={Object.entries(STATUS_LABEL).map(([value, label]) => ({ value, label }))}
        error={errors.status}
        hint={draft.status === 'active' ? 'Receives email normally' : 'Kept off every future send'}
      />
      <PhonesEditor rows={draft.phones} onChange={(phones) => set({ phones })} errors={errors} country={objects.find((o) => String(o.id) === draft.objectId)?.country ?? null} />
    </div>
  )
}
