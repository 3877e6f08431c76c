// "Remind me if no reply": from a conversation, a task for its contact that comes due in N days and closes
// itself when the contact writes back (the engine watches the inbound store).
import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { useBusinessZone } from '../contact/businessZone'
import { inDays, zonedIso } from './taskTime'

const CHOICES = [1, 3, 7]

export function RemindIfNoReply({ threadId, subject, contact }: { threadId: number; subject: string; contact: { id: number; name: string } | null }): JSX.Element | null {
  const zone = useBusinessZone()
  if (!contact) return null
  const remind = async (days: number) => {
    try {
      await rpc('tasks.create', {
        title: `Follow up with ${contact.name}: ${subject || '(no subject)'}`,
        contactId: contact.id,
        threadId,
        closeOnReply: true,
        dueAt: zonedIso(inDays(Date.now(), days, zone), zone),
      })
      useApp.getState().toast('success', `We’ll remind you in ${days === 1 ? 'a day' : `${days} days`} unless ${contact.name} replies`)
    } catch (err) {
      toastError(err)
    }
  }
  return (
    <Popover
      // Icon-only: the conversation toolbar has no room for another word at 1024 px.
      className="icon-button"
      align="right"
      label={
        <>
          <Icon name="clock" />
          <span className="visually-hidden">Remind me</span>
        </>
      }
    >
      {(close) => (
        <div className="menu" role="menu" aria-label="Remind me if no reply">
          <p className="menu-caption">If {contact.name} does not reply…</p>
          {CHOICES.map((d) => (
            <button key={d} type="button" role="menuitem" className="menu-item" onClick={() => (close(), void remind(d))}>
              <span className="menu-item-text">in {d === 1 ? '1 day' : `${d} days`}</span>
            </button>
          ))}
        </div>
      )}
    </Popover>
  )
}
