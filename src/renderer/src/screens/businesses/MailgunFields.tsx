// Mailgun domain, region and API key. The key is write-only: once saved we only ever say so.
import type { JSX } from 'react'
import { SelectField, TextField } from '../../components/Field'

export interface MailgunDraft {
  sendingDomain: string
  region: 'us' | 'eu'
  apiKey: string
}

export function MailgunFields({ draft, onChange, errors, hasApiKey }: { draft: MailgunDraft; onChange: (d: MailgunDraft) => void; errors: Record<string, string>; hasApiKey: boolean }): JSX.Element {
  const set = (patch: Partial<MailgunDraft>) => onChange({ ...draft, ...patch })
  return (
    <div className="form-grid">
      <TextField label="Sending domain" value={draft.sendingDomain} onChange={(sendingDomain) => set({ sendingDomain })} error={errors.sendingDomain} placeholder="mg.yourbusiness.com" />
      <SelectField
        label="Region"
        value={draft.region}
        onChange={(region) => set({ region: region as 'us' | 'eu' })}
        options={[
          { value: 'us', label: 'United States (api.mailgun.net)' },
          { value: 'eu', label: 'Europe (api.eu.mailgun.net)' },
        ]}
        error={errors.region}
      />
      <TextField
        label={hasApiKey ? 'Replace API key' : 'API key'}
        type="password"
        value={draft.apiKey}
        onChange={(apiKey) => set({ apiKey })}
        error={errors.apiKey}
        placeholder={hasApiKey ? '•••••••• saved' : 'key-…'}
        hint={hasApiKey ? 'A key is saved. Leave blank to keep it.' : 'Stored encrypted on this computer; it is never shown again.'}
        autoComplete="new-password"
        className="span-2"
      />
    </div>
  )
}
