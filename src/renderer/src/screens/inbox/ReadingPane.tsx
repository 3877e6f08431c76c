// The open conversation: subject, the people in it (linked to their contacts), every message (the latest
// and the unread ones open), and the inline reply. Opening it marks it read, locally and on the server.
import { useCallback, useEffect, useRef, useState, type JSX, type MutableRefObject } from 'react'
import type { InboxThread, MessageDetail, MessageSummary } from '../../../../shared/inbox'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { coalesce } from '../../lib/coalesce'
import { messageOf } from '../../lib/errors'
import { plural } from '../../lib/format'
import { onEvent, rpc, RpcError } from '../../rpc'
import { objectName, toastError, useApp } from '../../store'
import { MessageView, type ReplyMode } from './MessageView'
import { ContactLinks } from './ContactLinks'
import { ReplyComposer } from './ReplyComposer'
import { RemindIfNoReply } from '../today/RemindIfNoReply'
import type { Draft } from '../../../../shared/outbound'
import { draftsRecovered } from '../compose/composeState'

export interface PaneCommands {
  reply(mode: ReplyMode): void
  toggleRead(): void
  closeReply(): boolean
}

interface Props {
  threadId: number
  commands: MutableRefObject<PaneCommands | null>
  /** Tells the list a thread's unread count changed (before the engine's event comes back). */
  onReadChange: (threadId: number, unreadCount: number) => void
  onClose: () => void
  onFilterContact: (c: { id: number; name: string }) => void
  now: number
}

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'error'; message: string } | { state: 'ready'; thread: InboxThread; messages: MessageSummary[] }

export function ReadingPane({ threadId, commands, onReadChange, onClose, onFilterContact, now }: Props): JSX.Element {
  const objects = useApp((s) => s.objects)
  const sync = useApp((s) => s.sync)
  const [load, setLoad] = useState<Load>({ state: 'loading' })
  const [open, setOpen] = useState<Set<number>>(new Set())
  const [reply, setReply] = useState<{ mode: ReplyMode; message: MessageDetail; draft?: Draft } | null>(null)
  const details = useRef(new Map<number, MessageDetail>())
  const markedOnOpen = useRef(false)
  const seen = useRef(new Set<number>())
  const markFresh = useRef<(ids: number[]) => void>(() => undefined)

  const fetchThread = useCallback(
    () =>
      rpc('threads.get', { id: threadId }).then(
        ({ thread, messages }) => {
          setLoad({ state: 'ready', thread, messages })
          // Open: the unread ones, the latest, and anything that arrived while the thread was on screen.
          const known = seen.current
          const last = messages[messages.length - 1]
          const fresh = known.size ? messages.filter((m) => !known.has(m.id)).map((m) => m.id) : []
          messages.forEach((m) => known.add(m.id))
          // New mail in the conversation being read is read (as in the mail clients); 'u' still wins for the rest.
          const freshUnread = messages.filter((m) => fresh.includes(m.id) && !m.read).map((m) => m.id)
          if (freshUnread.length) markFresh.current(freshUnread)
          setOpen((prev) => new Set([...prev, ...messages.filter((m) => !m.read).map((m) => m.id), ...fresh, ...(prev.size === 0 && last ? [last.id] : [])]))
          return messages
        },
        (err) => {
          setLoad(err instanceof RpcError && err.code === 'NOT_FOUND' ? { state: 'missing' } : { state: 'error', message: messageOf(err) })
          return null
        },
      ),
    [threadId],
  )

  const setRead = useCallback(
    (ids: number[], read: boolean) => {
      if (ids.length === 0) return
      setLoad((l) => (l.state === 'ready' ? { ...l, messages: l.messages.map((m) => (ids.includes(m.id) ? { ...m, read } : m)) } : l))
      rpc('messages.markRead', { ids, read }).then(() => void useApp.getState().loadInboxUnread(), toastError)
    },
    [],
  )

  markFresh.current = (ids) => (setRead(ids, true), onReadChange(threadId, 0))

  useEffect(() => {
    markedOnOpen.current = false
    seen.current = new Set()
    setOpen(new Set())
    setReply(null)
    details.current.clear()
    setLoad({ state: 'loading' })
    void fetchThread().then((messages) => {
      if (!messages || markedOnOpen.current) return
      markedOnOpen.current = true
      const unread = messages.filter((m) => !m.read).map((m) => m.id)
      if (unread.length) {
        setRead(unread, true)
        onReadChange(threadId, 0)
      }
    })
    // A reply left unsent in this conversation comes back where it was written.
    let live = true
    void draftsRecovered
      .then(() => rpc('drafts.list', { threadId }))
      .then(async (drafts) => {
        const d = drafts.find((x) => x.replyTo)
        if (!d?.replyTo || !live) return
        const message = details.current.get(d.replyTo.messageId) ?? (await rpc('messages.get', { id: d.replyTo.messageId }))
        if (live) setReply((r) => r ?? { mode: d.replyTo!.mode, message, draft: d })
      })
      .catch(() => undefined)
    const soon = coalesce(() => void fetchThread(), 250)
    const off = onEvent('inbox.changed', (p) => {
      if (p.threadIds.includes(threadId)) soon.call()
    })
    return () => ((live = false), off(), soon.cancel())
  }, [threadId])

  const messages = load.state === 'ready' ? load.messages : []
  const latest = messages[messages.length - 1]

  /** The message a thread-level reply answers: the latest one (its detail is loaded, it is always open). */
  const replyTo = async (mode: ReplyMode, target?: MessageDetail) => {
    const m = target ?? (latest && (details.current.get(latest.id) ?? (await rpc('messages.get', { id: latest.id }).catch(toastError))))
    if (m) setReply({ mode, message: m })
  }

  commands.current = {
    // A key never throws away a reply being written: it goes back to it instead.
    reply: (mode) => (reply ? document.getElementById('reply-body')?.focus() : void replyTo(mode)),
    toggleRead: () => {
      if (load.state !== 'ready' || !latest) return
      const unread = messages.filter((m) => !m.read).map((m) => m.id)
      if (unread.length) (setRead(unread, true), onReadChange(threadId, 0))
      else (setRead([latest.id], false), onReadChange(threadId, 1))
    },
    closeReply: () => (reply ? (setReply(null), true) : false),
  }

  if (load.state === 'loading')
    return (
      <section className="reading-pane is-loading" aria-busy="true" aria-label="Conversation">
        <div className="pane-skeleton" />
      </section>
    )
  if (load.state !== 'ready')
    return (
      <section className="reading-pane" aria-label="Conversation">
        <EmptyState icon="alert" title={load.state === 'missing' ? 'This conversation is gone' : 'Could not open this conversation'} actions={<button type="button" className="btn" onClick={onClose}>Back to the list</button>}>
          {load.state === 'missing' ? 'It may have been deleted on the server.' : load.message}
        </EmptyState>
      </section>
    )

  const { thread } = load
  const unread = messages.some((m) => !m.read)
  const ownEmails = (sync ?? []).map((s) => s.email)
  return (
    <section className="reading-pane" aria-label="Conversation">
      <header className="pane-head">
        <div className="pane-toolbar" role="toolbar" aria-label="Conversation actions">
          <button type="button" className="btn btn-sm" onClick={() => void replyTo('reply')} title="Reply (r)">
            <Icon name="reply" size={14} /> Reply
          </button>
          <button type="button" className="btn btn-sm" onClick={() => void replyTo('replyAll')} title="Reply all (a)">
            <Icon name="replyAll" size={14} /> Reply all
          </button>
          <button type="button" className="btn btn-sm" onClick={() => void replyTo('forward')} title="Forward (f)">
            <Icon name="forward" size={14} /> Forward
          </button>
          <span className="pane-toolbar-gap" />
          {/* the CRM (issue 19): a task that closes itself when the contact replies */}
          <RemindIfNoReply threadId={thread.id} subject={thread.subject} contact={thread.contacts[0] ?? null} />
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => commands.current?.toggleRead()} title={`${unread ? 'Mark as read' : 'Mark as unread'} (u)`}>
            <Icon name={unread ? 'check' : 'mail'} size={14} /> {unread ? 'Mark as read' : 'Mark as unread'}
          </button>
          <button type="button" className="icon-button" aria-label="Close conversation" title="Close" onClick={onClose}>
            <Icon name="x" />
          </button>
        </div>
        <h2>{thread.subject || '(no subject)'}</h2>
        <div className="pane-meta">
          <span className="badge badge-slate">{objectName(objects, thread.objectId) || 'Business'}</span>
          <span>{plural(thread.messageCount, 'message')}</span>
          <ContactLinks contacts={thread.contacts} messages={messages} onFilter={onFilterContact} onChanged={() => void fetchThread()} />
        </div>
      </header>
      <div className="pane-scroll">
        {messages.map((m) => (
          <MessageView
            key={m.id}
            summary={m}
            open={open.has(m.id)}
            now={now}
            onToggle={() => setOpen((s) => (s.has(m.id) ? new Set([...s].filter((x) => x !== m.id)) : new Set([...s, m.id])))}
            onReply={(mode, d) => void replyTo(mode, d)}
            onDetail={(d) => details.current.set(d.id, d)}
          />
        ))}
        {reply ? (
          <ReplyComposer
            key={`${reply.mode}-${reply.message.id}-${reply.draft?.id ?? 'new'}`}
            message={reply.message}
            mode={reply.mode}
            draft={reply.draft}
            ownEmails={ownEmails}
            onClose={() => setReply(null)}
          />
        ) : (
          <div className="reply-starters">
            <button type="button" className="reply-starter" onClick={() => void replyTo('reply')}>
              <Icon name="reply" size={14} /> Reply
            </button>
            <button type="button" className="reply-starter" onClick={() => void replyTo('replyAll')}>
              <Icon name="replyAll" size={14} /> Reply all
            </button>
            <button type="button" className="reply-starter" onClick={() => void replyTo('forward')}>
              <Icon name="forward" size={14} /> Forward
            </button>
          </div>
        )}
      </div>
    </section>
  )
}
