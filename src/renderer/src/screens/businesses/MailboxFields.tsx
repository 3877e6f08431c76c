// The SMTP (and optional IMAP) mailbox fields, shared by the first-run wizard and the Businesses screen.
import type { JSX } from 'react'
import { SelectField, TextField, Toggle } from '../../components/Field'
import { DEFAULT_PORTS, type MailboxDraft, type Security, type SentCopy, type ServerDraft } from './mailboxDraft'

export const SENT_COPY_OPTIONS: Array<{ value: SentCopy; label: string }> = [
  { value: 'append', label: 'Switchboard saves a copy in Sent (over IMAP)' },
  { value: 'server', label: 'The server keeps a copy itself (Gmail, Outlook)' },
  { value: 'none', label: 'Don’t keep a copy' },
]

const SECURITY_OPTIONS = [
  { value: 'tls', label: 'SSL/TLS' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'none', label: 'None (not recommended)' },
]

interface Props {
  draft: MailboxDraft
  onChange: (draft: MailboxDraft) => void
  errors: Record<string, string>
}

export function MailboxFields({ draft, onChange, errors }: Props): JSX.Element {
  const set = (patch: Partial<MailboxDraft>) => onChange({ ...draft, ...patch })
  return (
    <>
      <div className="form-grid">
        <TextField label="Email address" type="email" value={draft.email} onChange={(email) => set({ email })} error={errors.email} placeholder="hello@yourbusiness.com" />
        <TextField label="Display name" value={draft.displayName} onChange={(displayName) => set({ displayName })} error={errors.displayName} optional placeholder="e.g. Front desk" />
        <TextField
          label="Daily sending limit"
          type="number"
          min={1}
          value={draft.dailyCapacity}
          onChange={(dailyCapacity) => set({ dailyCapacity })}
          error={errors.dailyCapacity}
          hint="Emails per day, to protect the mailbox’s reputation"
        />
        <TextField
          label="Minimum gap (seconds)"
          type="number"
          min={0}
          value={draft.minGapSeconds}
          onChange={(minGapSeconds) => set({ minGapSeconds })}
          error={errors.minGapSeconds}
          hint="Pause between two sends"
        />
      </div>
      <ServerFields kind="smtp" title="Outgoing mail (SMTP)" server={draft.smtp} onChange={(smtp) => set({ smtp })} errors={errors} />
      <div className="form-section">
        <Toggle label="Also read replies over IMAP" checked={draft.imapEnabled} onChange={(imapEnabled) => set({ imapEnabled })} hint="Lets Switchboard see replies in this mailbox" />
      </div>
      {draft.imapEnabled && <ServerFields kind="imap" title="Incoming mail (IMAP)" server={draft.imap} onChange={(imap) => set({ imap })} errors={errors} />}
      <SelectField
        label="Sent copy"
        value={draft.sentCopy}
        onChange={(sentCopy) => set({ sentCopy: sentCopy as SentCopy })}
        options={SENT_COPY_OPTIONS}
        error={errors.sentCopy}
        hint={draft.sentCopy === 'append' && !draft.imapEnabled ? 'Saving to Sent needs IMAP: turn it on above, or pick another option.' : 'Where the copy of each sent message ends up, so it shows in the mailbox’s Sent folder.'}
      />
    </>
  )
}

function ServerFields({ kind, title, server, onChange, errors }: { kind: 'smtp' | 'imap'; title: string; server: ServerDraft; onChange: (s: ServerDraft) => void; errors: Record<string, string> }): JSX.Element {
  const prefix = kind.toUpperCase()
  const set = (patch: Partial<ServerDraft>) => onChange({ ...server, ...patch })
  const setSecurity = (secure: Security) => {
    // Follow the standard port unless the user typed their own.
    const standard = Object.values(DEFAULT_PORTS[kind]).includes(server.port)
    set({ secure, ...(standard ? { port: DEFAULT_PORTS[kind][secure] } : {}) })
  }
  return (
    <fieldset className="form-section">
      <legend>{title}</legend>
      <div className="form-grid">
        <TextField label={`${prefix} host`} value={server.host} onChange={(host) => set({ host })} error={errors[`${kind}.host`]} placeholder={kind === 'smtp' ? 'smtp.example.com' : 'imap.example.com'} />
        <div className="form-grid form-grid-port">
          <TextField label={`${prefix} port`} type="number" value={server.port} onChange={(port) => set({ port })} error={errors[`${kind}.port`]} />
          <SelectField label={`${prefix} security`} value={server.secure} onChange={(v) => setSecurity(v as Security)} options={SECURITY_OPTIONS} error={errors[`${kind}.secure`]} />
        </div>
        <TextField label={`${prefix} username`} value={server.user} onChange={(user) => set({ user })} error={errors[`${kind}.user`]} placeholder="Same as the email address" autoComplete="off" />
        <TextField
          label={`${prefix} password`}
          type="password"
          value={server.password}
          onChange={(password) => set({ password })}
          error={errors[`${kind}.password`]}
          placeholder={server.hasPassword ? '•••••••• saved' : ''}
          hint={server.hasPassword ? 'Saved. Leave blank to keep it.' : 'Stored encrypted on this computer'}
          autoComplete="new-password"
        />
      </div>
    </fieldset>
  )
}
