// New company, or rename / change the domain of one. Its business is fixed once made.
import { useState, type JSX } from 'react'
import type { Company } from '../../../../shared/segments'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError, SelectField, TextField } from '../../components/Field'
import { splitError } from '../../lib/errors'
import { plural } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'

export function CompanyDialog({ company, onClose, onSaved }: { company?: Company; onClose: () => void; onSaved: (c: Company) => void }): JSX.Element {
  const objects = useApp((s) => s.objects) ?? []
  const [name, setName] = useState(company?.name ?? '')
  const [domain, setDomain] = useState(company?.domain ?? '')
  const [objectId, setObjectId] = useState(company ? String(company.objectId ?? '') : objects.length === 1 ? String(objects[0]!.id) : '')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async () => {
    setBusy(true)
    setErrors({})
    setError(null)
    try {
      const saved = company
        ? await rpc('companies.update', { id: company.id, name, domain: domain.trim() || null })
        : await rpc('companies.create', { name, domain: domain.trim() || null, objectId: objectId ? Number(objectId) : null })
      toastOk(company ? `Saved ${saved.name}` : `${saved.name} added${saved.contactCount ? `, with ${plural(saved.contactCount, 'person', 'people')} at ${saved.domain}` : ''}`)
      onSaved(saved)
    } catch (err) {
      const split = splitError(err, (f) => ['name', 'domain', 'objectId'].includes(f))
      setErrors(split.fields)
      setError(split.form)
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={company ? `Edit ${company.name}` : 'New company'}
      size="sm"
      onClose={onClose}
      onSubmit={() => void save()}
      footer={<DialogActions onCancel={onClose} label={company ? 'Save' : 'Add company'} busy={busy} />}
    >
      <TextField label="Name" value={name} onChange={setName} error={errors.name} autoFocus />
      <TextField label="Domain" value={domain} onChange={setDomain} error={errors.domain} optional hint="People with an email at this domain join the company on their own." placeholder="acme.com" />
      {!company && (
        <SelectField
          label="Business"
          value={objectId}
          onChange={setObjectId}
          error={errors.objectId}
          options={[{ value: '', label: 'Every business' }, ...objects.map((o) => ({ value: String(o.id), label: o.name }))]}
        />
      )}
      <FormError message={error} />
    </Dialog>
  )
}
