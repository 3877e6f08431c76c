// SMTP/IMAP mailboxes of a business: connection summary, today's sending against the cap, sign-in
// trouble on either side (SMTP from the mailbox row, IMAP from the live sync state), and add/edit/delete.
import { useState, type JSX } from 'react'
import type { SyncStatus } from '../../../../shared/inbox'
import type { BizObject, Mailbox } from '../../../../shared/models'
import type { NetStatus } from '../../../../shared/outbound'
import { PROBLEM_TITLE, type ServerErrorCode } from '../../../../shared/serverErrors'
import { useConfirm } from '../../components/ConfirmDialog'
import { Icon } from '../../components/Icons'
import { formatCount, sentence } from '../../lib/format'
import { rpc } from '../../rpc'
import { useApp } from '../../store'
import { MailboxDialog, type MailboxFocus } from './MailboxDialog'
import { syncWindowLabel } from './mailboxDraft'
import { ItemListCard } from '../../components/Card'

const title = (code: string | null | undefined, fallback: string): string => (code && PROBLEM_TITLE[code as ServerErrorCode]) || fallback

/**
 * The mailbox's badge, from the current truth: "Active" only while both sending and receiving work. A stop
 * for the settings (sign-in, TLS) beats a server that does not answer, which beats a stopped IMAP sync.
 */
export function mailboxHealth(m: Mailbox, net: NetStatus | null, sync: SyncStatus[] | null): { text: string; tone: 'green' | 'slate' | 'red' | 'amber' } {
  if (m.status === 'paused') return { text: 'Paused', tone: 'slate' }
  if (m.status === 'auth_error') return { text: title(m.statusCode, 'Sign-in failed'), tone: 'red' }
  const down = smtpDown(m, net)
  if (down) return { text: down.code === 'NETWORK' || !net?.hostOnline ? 'Waiting for the network' : `Can’t reach SMTP`, tone: 'amber' }
  const st = sync?.find((x) => x.mailboxId === m.id)
  if (st?.state === 'auth_error') return { text: 'Receiving stopped', tone: 'red' }
  if (st?.state === 'error' || st?.state === 'offline') return { text: 'Can’t reach IMAP', tone: 'amber' }
  return { text: 'Active', tone: 'green' }
}

/** The mailbox's SMTP server as the outbox last saw it, when it is down. */
function smtpDown(m: Mailbox, net: NetStatus | null) {
  const e = net?.endpoints.find((x) => x.key === `smtp:${m.smtp.host}:${m.smtp.port}`)
  return e && !e.online ? e : null
}
const SENT_COPY = { append: 'Copy saved to Sent', server: 'Server keeps Sent copy', none: 'No Sent copy' } as const

export function MailboxesSection({ object, mailboxes }: { object: BizObject; mailboxes: Mailbox[] | null }): JSX.Element {
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null)
  const [focus, setFocus] = useState<MailboxFocus | undefined>(undefined)
  const deleting = useConfirm((m: Mailbox) => ({
    title: `Delete ${m.email}?`,
    message: 'Switchboard forgets this mailbox, its saved passwords and the copies of its mail on this computer. The mail on the server is untouched.',
    confirmLabel: 'Delete mailbox',
    onConfirm: () => rpc('mailboxes.delete', { id: m.id }),
    done: 'Mailbox deleted',
  }))
  const sync = useApp((s) => s.sync)
  const net = useApp((s) => s.net)
  const edit = (m: Mailbox | 'new', on?: MailboxFocus) => {
    setFocus(on)
    setEditing(m)
  }
  return (
    <ItemListCard
      id="mailboxes-title"
      title="Mailboxes"
      help="Ordinary email accounts Switchboard sends from over SMTP, and reads replies from over IMAP."
      addLabel="Add mailbox"
      onAdd={() => edit('new')}
      items={mailboxes}
      label="Mailboxes"
      empty="No mailboxes yet."
      row={(m) => {
        const health = mailboxHealth(m, net, sync)
        const down = m.status === 'active' ? smtpDown(m, net) : null
        return (
          <li key={m.id} className="item-row mailbox-row">
            <div className="mailbox-row-main">
              <span className="item-icon">
                <Icon name="mail" />
              </span>
              <div className="item-main">
                <span className="item-title">
                  {m.email}
                  {m.displayName && <span className="muted"> · {m.displayName}</span>}
                </span>
                <span className="item-sub mailbox-facts">
                  <span>
                    SMTP {m.smtp.host}:{m.smtp.port}
                  </span>
                  <span>{m.imap ? `IMAP ${m.imap.host}:${m.imap.port}` : 'No IMAP'}</span>
                  <span>{m.dailyCapacity}/day</span>
                  <span>{m.minGapSeconds}s gap</span>
                  <span>{SENT_COPY[m.sentCopy]}</span>
                  {m.imap && <span title={m.olderOnServer ? 'Older mail stays on the server' : undefined}>{syncWindowLabel(m.syncWindowMonths)}</span>}
                </span>
                <UsageMeter mailbox={m} />
              </div>
              <span className={`badge badge-${health.tone}`}>{health.text}</span>
              <button type="button" className="btn btn-ghost btn-sm" aria-label={`Edit mailbox ${m.email}`} onClick={() => edit(m)}>
                Edit
              </button>
              <button type="button" className="icon-button" aria-label={`Delete mailbox ${m.email}`} onClick={() => deleting.ask(m)}>
                <Icon name="trash" />
              </button>
            </div>
            {m.status === 'auth_error' && (
              <SignInNotice
                title="Sending from this mailbox is stopped"
                text={`${sentence(m.statusReason ?? 'The server refused the username or password')} Messages wait in the outbox and go out once it is fixed.`}
                fix={!m.statusCode || m.statusCode === 'AUTH' ? 'Fix sign-in' : 'Fix settings'}
                onFix={() => edit(m, !m.statusCode || m.statusCode === 'AUTH' ? 'smtp.password' : undefined)}
              />
            )}
            {down && (
              <SignInNotice
                title="Sending from this mailbox is waiting"
                text={`${sentence(down.lastError ?? `${down.label} does not answer`)} Messages wait in the outbox and go out once the server answers or the settings are fixed.`}
                fix="Check settings"
                tone="amber"
                onFix={() => edit(m)}
              />
            )}
            {imapError(sync, m.id) !== null && (
              <SignInNotice
                title="Receiving mail for this mailbox is stopped"
                text={`${sentence(imapError(sync, m.id) || 'The IMAP server refused the username or password')} New mail is fetched again once the IMAP settings are fixed.`}
                fix="Fix sign-in"
                onFix={() => edit(m, 'imap.password')}
              />
            )}
            {m.status === 'paused' && m.statusReason && <p className="mailbox-paused">{m.statusReason}</p>}
          </li>
        )
      }}
    >
      {editing && <MailboxDialog object={object} mailbox={editing === 'new' ? null : editing} focus={focus} onClose={() => setEditing(null)} />}
      {deleting.dialog}
    </ItemListCard>
  )
}

/** Today's sends against the daily cap; amber near the cap, red at it. */
function UsageMeter({ mailbox: m }: { mailbox: Mailbox }): JSX.Element {
  const ratio = m.dailyCapacity > 0 ? Math.min(m.sentToday / m.dailyCapacity, 1) : 0
  const tone = ratio >= 1 ? 'red' : ratio >= 0.8 ? 'amber' : 'accent'
  return (
    <span className="usage">
      <span
        className={`meter meter-${tone}`}
        role="meter"
        aria-label={`Sent today by ${m.email}`}
        aria-valuemin={0}
        aria-valuemax={m.dailyCapacity}
        aria-valuenow={Math.min(m.sentToday, m.dailyCapacity)}
      >
        <span className="meter-fill" style={{ width: `${ratio * 100}%` }} />
      </span>
      <span className="usage-text">
        Today: {formatCount(m.sentToday)} / {formatCount(m.dailyCapacity)} sent
      </span>
    </span>
  )
}

/** The IMAP sign-in error of a mailbox ('' when the server gave no words), or null when receiving works. */
function imapError(sync: SyncStatus[] | null, mailboxId: number): string | null {
  const st = sync?.find((x) => x.mailboxId === mailboxId)
  return st?.state === 'auth_error' ? (st.error ?? '') : null
}

function SignInNotice({ title, text, fix, tone = 'red', onFix }: { title: string; text: string; fix: string; tone?: 'red' | 'amber'; onFix: () => void }): JSX.Element {
  return (
    <div className={`mailbox-notice${tone === 'amber' ? ' is-amber' : ''}`} role="alert">
      <Icon name="alert" />
      <div className="mailbox-notice-text">
        <strong>{title}</strong>
        <span>{text}</span>
      </div>
      <button type="button" className={`btn btn-sm${tone === 'red' ? ' btn-danger' : ''}`} onClick={onFix}>
        <Icon name="key" size={14} /> {fix}
      </button>
    </div>
  )
}
