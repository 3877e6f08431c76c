// The SMTP (and optional IMAP) mailbox fields, shared by the first-run wizard and the Businesses screen.
import type { JSX } from 'react'
import { SelectField, TextField, Toggle } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { DEFAULT_PORTS, SYNC_WINDOW_OPTIONS, withEmail, withImap, withSmtp, type MailboxDraft, type Security, type SentCopy, type ServerDraft } from './mailboxDraft'

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
        <TextField label="Email address" type="email" value={draft.email} onChange={(email) => onChange(withEmail(draft, email))} error={errors.email} placeholder="hello@yourbusiness.com" />
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
      <ProviderNote draft={draft} />
      <ServerFields kind="smtp" title="Outgoing mail (SMTP)" server={draft.smtp} onChange={(smtp) => onChange(withSmtp(draft, smtp))} errors={errors} passwordHint={draft.provider?.passwordHint ?? null} />
      <div className="form-section">
        <Toggle label="Also read replies over IMAP" checked={draft.imapEnabled} onChange={(imapEnabled) => set({ imapEnabled })} hint="Lets Switchboard see replies in this mailbox" />
      </div>
      {draft.imapEnabled && (
        <ServerFields kind="imap" title="Incoming mail (IMAP)" server={draft.imap} onChange={(imap) => onChange(withImap(draft, imap))} errors={errors} sameAsSmtp={!draft.imap.hasPassword} />
      )}
      {draft.imapEnabled && (
        <SelectField
          label="Mail to keep"
          value={draft.syncWindow}
          onChange={(syncWindow) => set({ syncWindow })}
          options={windowOptions(draft.syncWindow)}
          error={errors.syncWindowMonths}
          hint={
            draft.syncWindow === 'all'
              ? 'Every message in the mailbox is copied to this computer.'
              : 'Only mail from this period is copied here. Older mail stays on the server, where the inbox can still search it; a shorter period removes older copies from this computer only.'
          }
        />
      )}
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

/** What the address told us: the provider whose settings were filled in, or that they are a guess. */
function ProviderNote({ draft }: { draft: MailboxDraft }): JSX.Element | null {
  if (!draft.auto || !draft.provider) return null
  return (
    <p className="provider-note" role="status">
      <Icon name="sparkle" size={14} />
      <span>
        {draft.provider.name
          ? `${draft.provider.name} settings filled in from the address.`
          : 'Usual settings for this domain filled in; check them with your email provider. The test before saving tells you if they work.'}
      </span>
    </p>
  )
}

interface ServerFieldsProps {
  kind: 'smtp' | 'imap'
  title: string
  server: ServerDraft
  onChange: (s: ServerDraft) => void
  errors: Record<string, string>
  /** The provider's app-password advice. */
  passwordHint?: string | null
  /** IMAP: a blank password means the SMTP one. */
  sameAsSmtp?: boolean
}

const PORT_HINT = { smtp: 'Usually 587 or 465', imap: 'Usually 993 or 143' } as const

function ServerFields({ kind, title, server, onChange, errors, passwordHint, sameAsSmtp }: ServerFieldsProps): JSX.Element {
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
          <TextField label={`${prefix} port`} type="number" value={server.port} onChange={(port) => set({ port })} error={errors[`${kind}.port`]} hint={PORT_HINT[kind]} />
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
          hint={server.hasPassword ? 'Saved. Leave blank to keep it.' : sameAsSmtp ? 'Leave blank to use the SMTP password' : (passwordHint ?? 'Stored encrypted on this computer')}
          autoComplete="new-password"
        />
      </div>
    </fieldset>
  )
}

/** The usual periods, plus one set some other way (the API takes any number of months). */
function windowOptions(current: string): Array<{ value: string; label: string }> {
  return SYNC_WINDOW_OPTIONS.some((o) => o.value === current) ? SYNC_WINDOW_OPTIONS : [...SYNC_WINDOW_OPTIONS, { value: current, label: `Last ${current} months` }]
}
