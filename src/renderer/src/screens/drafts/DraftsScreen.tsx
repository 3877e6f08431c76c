// Drafts: everything written but not sent, newest first (replies and forwards too, marked as such). A row
// opens in compose; the bin deletes it.
import type { JSX } from 'react'
import type { Draft } from '../../../../shared/outbound'
import { useConfirm } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { formatDate, plural, recipientsLine, relativeTime } from '../../lib/format'
import { htmlToPlain } from '../../lib/mailText'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError } from '../../store'
import { openCompose } from '../compose/composeState'
import { ComposeButton } from '../compose/ComposeButton'

export function DraftsScreen(): JSX.Element {
  const drafts = useQuery('drafts.list', {}, { events: ['drafts.changed'], delayMs: 0, onError: toastError }).data
  const deleting = useConfirm((d: Draft) => ({
    title: 'Delete this draft?',
    message: `“${d.subject || '(no subject)'}” will be deleted. This cannot be undone.`,
    confirmLabel: 'Delete draft',
    onConfirm: () => rpc('drafts.delete', { id: d.id }),
    done: 'Draft deleted',
  }))

  return (
    <div className="page">
      <PageHeader
        title="Drafts"
        subtitle={<>{drafts ? `${plural(drafts.length, 'draft')} · saved as you type` : 'Loading…'}</>}
      />
      {drafts && drafts.length === 0 && (
        <div className="card">
          <EmptyState
            icon="file"
            title="No drafts"
            actions={<ComposeButton />}
          >
            Messages you start writing are saved here automatically, even when you are offline.
          </EmptyState>
        </div>
      )}
      {drafts && drafts.length > 0 && (
        <ul className="card item-list message-list" aria-label="Drafts">
          {drafts.map((d) => (
            <li key={d.id} className="item-row message-row is-clickable" onClick={() => openCompose({ draftId: d.id })}>
              <span className="item-icon item-icon-muted">
                <Icon name="file" />
              </span>
              <div className="item-main">
                <button type="button" className="message-open" onClick={(e) => (e.stopPropagation(), openCompose({ draftId: d.id }))}>
                  <span className={`item-title${d.subject ? '' : ' is-placeholder'}`}>{d.subject || '(no subject)'}</span>
                </button>
                <span className="item-sub message-preview">
                  {d.replyTo && (
                    <span className="badge badge-slate draft-kind" title="Sent as a reply in its conversation: quoted and threaded">
                      {d.replyTo.mode === 'forward' ? 'Forward' : d.replyTo.mode === 'replyAll' ? 'Reply all' : 'Reply'}
                    </span>
                  )}
                  {d.attachments.length > 0 && (
                    <span className="draft-files" title={d.attachments.map((a) => a.filename).join(', ')}>
                      <Icon name="paperclip" size={13} /> {d.attachments.length}
                    </span>
                  )}
                  <span className="message-to">{d.to.length + d.cc.length ? `To ${recipientsLine([...d.to, ...d.cc], 3)}` : 'No recipients yet'}</span>
                  {snippet(d.html) && <span className="message-snippet">{snippet(d.html)}</span>}
                </span>
              </div>
              <time className="message-time" dateTime={d.updatedAt} title={formatDate(d.updatedAt)}>
                {relativeTime(d.updatedAt)}
              </time>
              <button
                type="button"
                className="icon-button"
                aria-label={`Delete draft ${d.subject || '(no subject)'}`}
                onClick={(e) => {
                  e.stopPropagation()
                  deleting.ask(d)
                }}
              >
                <Icon name="trash" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {deleting.dialog}
    </div>
  )
}

const snippet = (html: string): string => htmlToPlain(html).replace(/\s+/g, ' ').slice(0, 140)
