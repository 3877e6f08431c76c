// The "From" line: the sender profiles the person at the keyboard may use. When nobody has said who they
// are, every active profile is offered, with a quiet "Choose who you are" to narrow it down.
import { useId, type JSX } from 'react'
import type { Profile, User } from '../../../../shared/models'
import { Avatar } from '../../components/Avatar'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { hrefFor } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { objectName, toastError, useApp } from '../../store'
import { ComposeLine } from './ComposeLine'
import { closeCompose } from './composeState'

export interface Senders {
  profiles: Profile[] | null
  users: User[]
  currentUser: User | null
}

const NO_USERS: User[] = []

/** The profiles and users compose needs, reloaded when settings change. */
export function useSenders(): Senders {
  const currentUserId = useApp((s) => s.info?.currentUserId ?? null)
  const profiles = useQuery('profiles.list', {}, { events: ['objects.changed'], delayMs: 0, onError: toastError }).data
  const users = useQuery('users.list', {}, { events: ['objects.changed'], delayMs: 0, onError: toastError }).data ?? NO_USERS
  const currentUser = users.find((u) => u.id === currentUserId) ?? null
  // mayUse: false for a profile a team workspace's admin has not assigned to the staff member at this desktop.
  const allowed = profiles?.filter((p) => p.isActive && p.mayUse !== false && (!currentUser || currentUser.profileIds.includes(p.id))) ?? null
  return { profiles: allowed, users, currentUser }
}

/** The profile a new message starts from: the user's default, else one of the contact's business. */
export function defaultProfile(s: Senders, objectId: number | null): number | null {
  const list = s.profiles ?? []
  const byObject = objectId === null ? undefined : list.find((p) => p.objectId === objectId)
  const preferred = s.currentUser?.defaultProfileId
  return (list.find((p) => p.id === preferred) ?? byObject ?? list[0])?.id ?? null
}

interface Props {
  senders: Senders
  value: number | null
  onChange: (id: number) => void
  error?: string
  disabled?: boolean
}

export function FromField({ senders, value, onChange, error, disabled }: Props): JSX.Element {
  const id = useId()
  const objects = useApp((s) => s.objects)
  const { profiles, users, currentUser } = senders
  const label = (p: Profile) => `${p.displayName} <${p.email}> · ${objectName(objects, p.objectId) || 'Unknown business'}`
  const none = profiles !== null && profiles.length === 0
  return (
    <ComposeLine id={id} label="From" error={error} trailing={users.length > 0 && <WhoAmI users={users} current={currentUser} />}>
      {none ? (
        <p className="compose-note" id={id}>
          {currentUser ? `No sender profiles are assigned to ${currentUser.name}.` : 'No active sender profiles yet.'}{' '}
          <a href={hrefFor({ name: 'businesses' })} onClick={closeCompose}>
            Set one up in Businesses
          </a>
        </p>
      ) : (
        <select
          id={id}
          className="compose-select"
          value={value ?? ''}
          disabled={disabled || profiles === null}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => onChange(Number(e.target.value))}
        >
          {value === null && <option value="">{profiles === null ? 'Loading…' : 'Choose a sender…'}</option>}
          {profiles?.map((p) => (
            <option key={p.id} value={p.id}>
              {label(p)}
            </option>
          ))}
        </select>
      )}
    </ComposeLine>
  )
}

function WhoAmI({ users, current }: { users: User[]; current: User | null }): JSX.Element {
  const choose = (id: number | null, close: () => void) => {
    close()
    rpc('users.setCurrent', { id }).then(({ currentUserId }) => {
      const info = useApp.getState().info
      if (info) useApp.setState({ info: { ...info, currentUserId } })
    }, toastError)
  }
  return (
    <Popover
      className="btn btn-ghost btn-sm who-button"
      align="right"
      label={
        current ? (
          <>
            <Avatar name={current.name} size={18} /> {current.name} <Icon name="chevronDown" size={12} />
          </>
        ) : (
          'Choose who you are'
        )
      }
    >
      {(close) => (
        <div className="menu" role="menu" aria-label="Who is sending">
          <p className="menu-caption">Compose offers the sender profiles assigned to you.</p>
          {users.map((u) => (
            <button key={u.id} type="button" role="menuitemradio" aria-checked={u.id === current?.id} className="menu-item" onClick={() => choose(u.id, close)}>
              <Avatar name={u.name} size={24} />
              <span className="menu-item-text">
                <span>{u.name}</span>
                <span className="muted">{u.email}</span>
              </span>
              {u.id === current?.id && <Icon name="check" size={14} />}
            </button>
          ))}
          {current && (
            <button type="button" role="menuitem" className="menu-item menu-item-quiet" onClick={() => choose(null, close)}>
              Not set (offer every profile)
            </button>
          )}
        </div>
      )}
    </Popover>
  )
}
