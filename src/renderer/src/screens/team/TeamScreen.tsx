// Settings › Team (issue 22): create a team workspace from this desktop or join one, then see its state
// (synced, syncing, offline with N changes waiting), sync now, and (admins) add staff.
import { useState, type JSX } from 'react'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { formatDate } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { AddStaffForm, CreateTeamForm, JoinTeamForm } from './TeamForms'
import { LeaveTeamDialog, RemoveMemberDialog } from './TeamLeave'
import { teamWords } from './teamWords'
import '../../styles/team.css'

function StaffCard({ me }: { me: string | undefined }): JSX.Element {
  const users = useQuery('team.users.list', {}, { events: ['team.status'] })
  const [removing, setRemoving] = useState<{ email: string; displayName: string } | null>(null)
  return (
    <section className="card team-card" aria-labelledby="team-staff-title">
      <div className="card-header">
        <div>
          <h2 id="team-staff-title">Staff</h2>
          <p className="card-help">Each person signs in with their own PostgreSQL role; you choose their first password.</p>
        </div>
      </div>
      {users.error && (
        <p className="card-body team-note" role="status">
          {users.error}
        </p>
      )}
      {users.data && (
        <ul className="item-list" aria-label="Staff">
          {users.data.map((u) => (
            <li key={u.email} className="item-row">
              <span className="item-icon">
                <Icon name="user" />
              </span>
              <div className="item-main">
                <span className="item-title">{u.displayName}</span>
                <span className="item-sub">{u.email}</span>
              </div>
              <span className={`team-role team-role-${u.role}`}>{u.role === 'admin' ? 'Admin' : 'Staff'}</span>
              {u.email.toLowerCase() === me?.toLowerCase() ? (
                <span className="team-member-remove item-sub">You</span>
              ) : (
                <button type="button" className="btn btn-sm btn-danger-outline team-member-remove" onClick={() => setRemoving(u)} aria-label={`Remove ${u.displayName}`}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="card-body team-add-body">
        <h3 className="team-add-title">Add a staff member</h3>
        <AddStaffForm onDone={users.reload} />
      </div>
      {removing && <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} onRemoved={users.reload} />}
    </section>
  )
}

export function TeamScreen(): JSX.Element {
  const status = useQuery('team.status', {}, { events: ['team.status'], delayMs: 0 })
  const [syncing, setSyncing] = useState(false)
  const [leaving, setLeaving] = useState(false)
  const objects = useApp((st) => st.objects)
  const empty = objects !== null && objects.length === 0
  const s = status.data
  const syncNow = () => {
    setSyncing(true)
    rpc('team.sync', {})
      .then(() => status.reload())
      .catch(toastError)
      .finally(() => setSyncing(false))
  }
  const w = s ? teamWords(s) : null
  return (
    <div className="page team-page">
      <PageHeader
        title="Team"
        subtitle={!s ? 'Loading…' : s.state === 'solo' ? 'This desktop works on its own. Share it with your staff, or join your team.' : `${w!.label} · ${s.user?.email} (${s.user?.role === 'admin' ? 'admin' : 'staff'})`}
        actions={
          s && s.state !== 'solo' ? (
            <button type="button" className="btn" onClick={syncNow} disabled={syncing}>
              <Icon name="retry" /> {syncing ? 'Syncing…' : 'Sync now'}
            </button>
          ) : undefined
        }
      />
      {status.error && <p className="form-error">{status.error}</p>}
      {s?.state === 'solo' &&
        // A desktop with no business yet is most likely a new colleague's: joining comes first there.
        (empty ? (
          <div className="team-grid">
            <JoinTeamForm onDone={status.reload} />
            <CreateTeamForm onDone={status.reload} />
          </div>
        ) : (
          <div className="team-grid">
            <CreateTeamForm onDone={status.reload} />
            <JoinTeamForm onDone={status.reload} />
          </div>
        ))}
      {s && s.state !== 'solo' && (
        <>
          <section className={`card team-card team-status team-${w!.tone}`} aria-labelledby="team-status-title">
            <div className="card-header">
              <div>
                <h2 id="team-status-title">
                  <Icon name={w!.tone === 'gone' ? 'alert' : w!.tone === 'off' ? 'wifiOff' : 'cloudCheck'} /> {w!.label}
                </h2>
                <p className="card-help">{w!.detail}</p>
              </div>
            </div>
            <dl className="team-facts card-body">
              <dt>Database</dt>
              <dd>
                <code>{s.database}</code>
              </dd>
              <dt>Signed in as</dt>
              <dd>
                {s.user?.email} · {s.user?.role === 'admin' ? 'Admin' : 'Staff'}
              </dd>
              <dt>Changes waiting</dt>
              <dd>{s.pendingOps === 0 ? 'None' : s.pendingOps}</dd>
              <dt>Last synced</dt>
              <dd>{s.lastSyncedAt ? formatDate(s.lastSyncedAt) : 'Not yet'}</dd>
              <dt>Shared</dt>
              <dd>Businesses, users, contacts (addresses, phones, custom fields), tags, notes and tasks. Mail stays on each mailbox’s server.</dd>
            </dl>
            <div className="card-body team-leave-row">
              <p>{s.state === 'removed' ? 'Leave to keep working on your own: this computer keeps its copy of everything.' : 'Leaving stops sharing from this computer; it keeps its own copy of everything.'}</p>
              <button type="button" className="btn btn-danger" onClick={() => setLeaving(true)}>
                Leave workspace
              </button>
            </div>
          </section>
          {leaving && <LeaveTeamDialog status={s} onClose={() => setLeaving(false)} onLeft={status.reload} />}
          {s.state === 'removed' ? null : s.user?.role === 'admin' ? (
            <StaffCard me={s.user?.email} />
          ) : (
            <EmptyState icon="user" title="Staff are managed by an admin">
              Ask an admin of the workspace to add a colleague.
            </EmptyState>
          )}
        </>
      )}
    </div>
  )
}
