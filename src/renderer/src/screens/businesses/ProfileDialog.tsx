// Add or edit a sender profile. Transport: this business's Mailgun domain or one of its mailboxes.
import { useState, type JSX } from 'react'
import type { BizObject, Mailbox, Profile } from '../../../../shared/models'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError, SelectField, TextField, Toggle } from '../../components/Field'
import { RichField } from '../../components/RichEditor'
import '../../styles/signatureEditor.css'
import { useFormAction } from '../../lib/useAction'
import { rpc } from '../../rpc'
import { profileInput } from './profileDraft'
import { toastOk } from '../../store'

interface Props {
  object: BizObject
  profile: Profile | null
  mailboxes: Mailbox[]
  onClose: () => void
}

export function ProfileDialog({ object, profile, mailboxes, onClose }: Props): JSX.Element {
  const [email, setEmail] = useState(profile?.email ?? '')
  const [displayName, setDisplayName] = useState(profile?.displayName ?? object.name)
  const [replyTo, setReplyTo] = useState(profile?.replyTo ?? '')
  const [isActive, setIsActive] = useState(profile?.isActive ?? true)
  // Written with the same rich editor as the messages it ends (no variables: a signature is sent as written).
  // Sent back only when the editor changed it.
  const initialSignature = profile?.signatureHtml ?? ''
  const [signature, setSignature] = useState(initialSignature)
  const initialTransport = profile ? (profile.transport.kind === 'smtp' ? `smtp:${profile.transport.mailboxId}` : 'mailgun') : mailboxes[0] ? `smtp:${mailboxes[0].id}` : 'mailgun'
  const [transport, setTransport] = useState(initialTransport)
  const { busy, errors, run } = useFormAction((f) => ['email', 'displayName', 'replyTo', 'transport.kind', 'transport.mailboxId', 'signatureHtml'].includes(f))

  const options = [
    { value: 'mailgun', label: object.mailgun ? `Mailgun (${object.mailgun.sendingDomain})` : 'Mailgun (not connected)' },
    ...mailboxes.map((m) => ({ value: `smtp:${m.id}`, label: `Mailbox ${m.email}` })),
  ]

  const save = () =>
    run(async () => {
      const input = { ...profileInput({ email, displayName, replyTo, transport }), isActive, ...(signature !== initialSignature ? { signatureHtml: signature } : {}) }
      if (profile) await rpc('profiles.update', { id: profile.id, ...input })
      else await rpc('profiles.create', { objectId: object.id, ...input })
      toastOk(profile ? 'Sender profile saved' : 'Sender profile added')
      onClose()
    })

  return (
    <Dialog
      title={profile ? 'Edit sender profile' : 'Add sender profile'}
      description={`Sends on behalf of ${object.name}.`}
      onClose={onClose}
      onSubmit={save}
      footer={<DialogActions onCancel={onClose} label={profile ? 'Save profile' : 'Add profile'} busy={busy} />}
    >
      <div className="form-grid">
        <TextField label="From email" type="email" value={email} onChange={setEmail} error={errors.fields.email} autoFocus />
        <TextField label="From name" value={displayName} onChange={setDisplayName} error={errors.fields.displayName} />
        <TextField label="Reply-to address" type="email" value={replyTo} onChange={setReplyTo} error={errors.fields.replyTo} optional />
        <SelectField label="Send through" value={transport} onChange={setTransport} options={options} error={errors.fields['transport.kind'] ?? errors.fields['transport.mailboxId']} />
      </div>
      <RichField
        label="Signature"
        fieldClassName="signature-field"
        optional
        hint="Added under what you write in new messages and replies, above the quoted text. Switching From swaps it."
        error={errors.fields.signatureHtml}
        className="signature-editor"
        value={signature}
        onChange={setSignature}
        placeholder={`${displayName || 'Your name'} · ${object.name}`}
      />
      <Toggle label="Active" checked={isActive} onChange={setIsActive} hint="Inactive profiles cannot be chosen for new emails" />
      <FormError message={errors.form} />
    </Dialog>
  )
}
