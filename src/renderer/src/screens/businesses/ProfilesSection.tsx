// Sender profiles: the "From" identities of a business and what each one sends through.
import { useState, type JSX } from 'react'
import type { BizObject, Mailbox, Profile } from '../../../../shared/models'
import { Avatar } from '../../components/Avatar'
import { useConfirm } from '../../components/ConfirmDialog'
import { rpc } from '../../rpc'
import { Icon } from '../../components/Icons'
import { ProfileDialog } from './ProfileDialog'
import { ItemListCard } from '../../components/Card'

export function transportLabel(p: Profile, mailboxes: Mailbox[] | null): string {
  if (p.transport.kind === 'mailgun') return 'Mailgun'
  const id = p.transport.mailboxId
  const mb = mailboxes?.find((m) => m.id === id)
  return mb ? `Mailbox ${mb.email}` : 'Mailbox'
}

interface Props {
  object: BizObject
  profiles: Profile[] | null
  mailboxes: Mailbox[] | null
}

export function ProfilesSection({ object, profiles, mailboxes }: Props): JSX.Element {
  const [editing, setEditing] = useState<Profile | 'new' | null>(null)
  // The engine refuses while mail from the profile waits or a flow sends from it; the dialog shows why.
  const deleting = useConfirm((p: Profile) => ({
    title: `Delete ${p.displayName} <${p.email}>?`,
    message: 'Nobody can send as this sender any more, and staff lose it from their senders. Mail already sent keeps its From address.',
    confirmLabel: 'Delete sender',
    onConfirm: () => rpc('profiles.delete', { id: p.id }),
    done: 'Sender profile deleted',
  }))
  return (
    <ItemListCard
      id="profiles-title"
      title="Sender profiles"
      help="The name and address customers see in their inbox."
      addLabel="Add sender profile"
      onAdd={() => setEditing('new')}
      items={profiles}
      label="Sender profiles"
      empty="No sender profiles yet. Add one to start sending from this business."
      row={(p) => (
        <li key={p.id} className="item-row">
          <Avatar name={p.displayName} size={32} />
          <div className="item-main">
            <span className="item-title">
              {p.displayName} <span className="muted">&lt;{p.email}&gt;</span>
            </span>
            <span className="item-sub">
              Sends with {transportLabel(p, mailboxes)}
              {p.replyTo && ` · replies to ${p.replyTo}`}
            </span>
          </div>
          <span className={`badge ${p.isActive ? 'badge-green' : 'badge-slate'}`}>{p.isActive ? 'Active' : 'Inactive'}</span>
          <button type="button" className="btn btn-ghost btn-sm" aria-label={`Edit profile ${p.email}`} onClick={() => setEditing(p)}>
            Edit
          </button>
          <button type="button" className="icon-button" aria-label={`Delete profile ${p.email}`} onClick={() => deleting.ask(p)}>
            <Icon name="trash" />
          </button>
        </li>
      )}
    >
      {deleting.dialog}
      {editing && <ProfileDialog object={object} profile={editing === 'new' ? null : editing} mailboxes={mailboxes ?? []} onClose={() => setEditing(null)} />}
    </ItemListCard>
  )
}
