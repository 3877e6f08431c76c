// Mailgun domain, region and API key. The key is write-only: once saved we only ever say so.
import type { JSX } from 'react'
import { SelectField, TextField } from '../../components/Field'
import { rpc } from '../../rpc'
import type { CheckRow } from './SetupCheck'

export interface MailgunDraft {
  sendingDomain: string
  region: 'us' | 'eu'
  apiKey: string
}

/** The set-up test of a Mailgun draft: the key and domain asked of Mailgun (the saved key when none is typed). */
export async function testMailgunDraft(objectId: number, draft: MailgunDraft, apiBaseUrl?: string | null): Promise<CheckRow[]> {
  const check = await rpc('mailgun.test', {
    objectId,
    sendingDomain: draft.sendingDomain,
    region: draft.region,
    ...(draft.apiKey ? { apiKey: draft.apiKey } : {}),
    ...(apiBaseUrl !== undefined ? { apiBaseUrl } : {}),
  })
  const field = check.code === 'AUTH' ? 'apiKey' : check.code === 'NOT_FOUND' ? 'sendingDomain' : null
  return [{ label: 'Mailgun', check, field }]
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
