// Leaving the workspace and removing a member (issue 22 item 1), on Settings › Team. Leaving says what happens
// before it does it; when changes made here could not reach the workspace the engine refuses (CONFLICT, with the
// count in its words) and the dialog then offers to leave anyway, saying those changes stay on this computer.
import { useState, type JSX } from 'react'
import type { TeamStatus } from '../../../../shared/team'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormError } from '../../components/Field'
import { messageOf } from '../../lib/errors'
import { RpcError, rpc } from '../../rpc'
import { toastOk } from '../../store'
import { plural } from './teamWords'
import '../../styles/teamLeave.css'

export function LeaveTeamDialog({ status, onClose, onLeft }: { status: TeamStatus; onClose: () => void; onLeft: () => void }): JSX.Element {
  const removed = status.state === 'removed'
  // The engine's refusal (changes not pushed): from then on the dialog offers the forced leave.
  const [refusal, setRefusal] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const leave = async () => {
    setBusy(true)
    setError(null)
    try {
      const r = await rpc('team.leave', refusal ? { force: true } : {})
      toastOk(r.keptHere > 0 ? `You left the workspace. ${plural(r.keptHere, 'change')} stayed on this computer only.` : 'You left the workspace. Everything stays on this computer.')
      onLeft()
      onClose()
    } catch (err) {
      if (err instanceof RpcError && err.code === 'CONFLICT' && !refusal && !/right now/.test(err.message)) setRefusal(err.message)
      else setError(messageOf(err))
      setBusy(false)
    }
  }
  return (
    <Dialog
      title={refusal ? 'Leave without sending your changes?' : 'Leave the team workspace?'}
      size="sm"
      onClose={onClose}
      onSubmit={leave}
      footer={<DialogActions onCancel={onClose} label={refusal ? 'Leave anyway' : 'Leave workspace'} busyLabel="Leaving…" busy={busy} danger />}
    >
      {refusal ? (
        <div className="confirm-message team-leave-words">
          <p className="team-leave-warning" role="alert">
            {refusal}
          </p>
          <p>Leave anyway and this computer keeps them; nobody else in the workspace will see them.</p>
        </div>
      ) : (
        <div className="confirm-message team-leave-words">
          <p>
            This computer stops sharing with <strong>{status.database ?? 'the workspace'}</strong> and works on its own again. It keeps its own copy of every business, contact, note,
            task and message it has now.
          </p>
          <ul>
            {removed ? (
              <li>An admin removed you, so changes made here since then stay on this computer only.</li>
            ) : (
              <li>Changes waiting here are sent to the workspace first.</li>
            )}
            <li>Messages the workspace shares are left to the other desktops: this computer withdraws its copies and sends only the ones written here and never shared.</li>
            <li>Your colleagues keep working as before; to come back, join the workspace again from an empty desktop.</li>
          </ul>
        </div>
      )}
      <FormError message={error} />
    </Dialog>
  )
}

export function RemoveMemberDialog({ member, onClose, onRemoved }: { member: { email: string; displayName: string }; onClose: () => void; onRemoved: () => void }): JSX.Element {
  return (
    <ConfirmDialog
      title={`Remove ${member.displayName}?`}
      message={
        <div className="team-leave-words">
          <p>
            {member.email} can no longer sign in to the workspace, and the messages their desktop was about to send go to the other desktops. Their notes, tasks and the messages they sent
            stay in the workspace.
          </p>
          <p>Their desktop keeps its own copy and tells them they were removed.</p>
        </div>
      }
      confirmLabel="Remove"
      done={`${member.displayName} was removed from the workspace`}
      onClose={onClose}
      onConfirm={() => rpc('team.users.remove', { email: member.email }).then(onRemoved)}
    />
  )
}
