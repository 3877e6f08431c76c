// The unified inbox: filters on the left, conversations in the middle, the open one on the right. Reads
// come from the local database, so it works offline; keyboard shortcuts follow the mail clients.
import { useEffect, useRef, useState, type JSX } from 'react'
import type { InboxThread, SyncStatus } from '../../../../shared/inbox'
import { EmptyState } from '../../components/EmptyState'
import { Icon } from '../../components/Icons'
import { isTyping, SHORTCUTS, unreadLabel } from '../../lib/inbox'
import { hrefFor, navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import { openCompose } from '../compose/composeState'
import { useNow } from '../outbox/useOutbox'
import '../../styles/triage.css'
import { FilterRail } from './FilterRail'
import { TextsPane } from '../texts/TextsPane'
import { useFolders } from './MovePicker'
import { ThreadMenu, TriageBar } from './TriageBar'
import { clickSelect, TRIAGE_SHORTCUTS, useSelection, useTriage } from './useTriage'
import { ReadingPane, type PaneCommands } from './ReadingPane'
import { NoteHits } from './NoteHits'
import { ThreadList } from './ThreadList'
import { useInboxFilters, useInboxList, type InboxFilters } from './useInbox'
import { SkeletonRows } from '../automation/LoadState'

export function InboxScreen({ selectedId }: { selectedId?: number }): JSX.Element {
  const filters = useInboxFilters((s) => s.filters)
  const setFilters = useInboxFilters((s) => s.set)
  const list = useInboxList(filters)
  const now = useNow(30_000)
  const objects = useApp((s) => s.objects)
  const sync = useApp((s) => s.sync)
  const totalUnread = useApp((s) => s.inboxUnread)
  const totalAtLeast = useApp((s) => s.inboxUnreadAtLeast)
  const commands = useRef<PaneCommands | null>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const [search, setSearch] = useState(filters.query ?? '')
  const [showKeys, setShowKeys] = useState(false)
  const [checking, setChecking] = useState(false)
  const folders = useFolders()
  const triage = useTriage(list, filters, selectedId)
  const checked = useSelection((s) => s.ids)
  const [moveOpen, setMoveOpen] = useState(false)
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null)
  // issue 17: the Texts view (SMS and WhatsApp conversations) in place of the mail list
  const [textsOn, setTextsOn] = useState(false)
  const viewKey = JSON.stringify(filters)
  // A new view starts with nothing selected.
  useEffect(() => useSelection.getState().clear(), [viewKey])

  /** "Get messages": every mailbox that can receive syncs all its folders now (Sent is otherwise polled). */
  const checkAll = () => {
    const boxes = (sync ?? []).filter((s) => s.state !== 'disabled')
    setChecking(true)
    Promise.all(boxes.map((s) => rpc('mailboxes.sync', { mailboxId: s.mailboxId }).then((st) => useApp.getState().applySync(st))))
      .catch(toastError)
      .finally(() => setTimeout(() => setChecking(false), 800))
  }

  // Search as you type, once the typing pauses.
  useEffect(() => {
    const t = setTimeout(() => (search.trim() !== (filters.query ?? '') ? setFilters({ query: search.trim() || undefined }) : undefined), 300)
    return () => clearTimeout(t)
  }, [search])

  const threads = list.threads ?? []
  const open = (t: InboxThread) => navigate({ name: 'inbox', id: t.id })
  const step = (delta: number) => {
    if (threads.length === 0) return
    const at = threads.findIndex((t) => t.id === selectedId)
    const next = at < 0 ? 0 : Math.min(threads.length - 1, Math.max(0, at + delta))
    open(threads[next])
  }

  const byId = new Map(threads.map((t) => [t.id, t]))
  const targetThreads = triage
    .targets()
    .map((id) => byId.get(id))
    .filter((t): t is InboxThread => !!t)
  const inTrash = filters.folder === 'trash'

  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined)
  keys.current = (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'a' && !isTyping(e.target)) {
      e.preventDefault()
      return useSelection.getState().set(threads.map((t) => t.id))
    }
    if (e.metaKey || e.ctrlKey || e.altKey) return
    if (e.key === 'Escape') {
      if (document.activeElement === searchRef.current) return searchRef.current?.blur()
      if (useSelection.getState().ids.size) return useSelection.getState().clear()
      return void commands.current?.closeReply()
    }
    if (isTyping(e.target) || moveOpen || menu) return
    const run = (fn: () => void) => (e.preventDefault(), fn())
    switch (e.key) {
      case 'e':
        return run(() => triage.move('archive'))
      case '#':
        return run(() => triage.move('trash'))
      case 's':
        return run(triage.star)
      case 'v':
        return triage.targets().length ? run(() => setMoveOpen(true)) : undefined
      case 'x':
        return selectedId ? run(() => useSelection.getState().toggle(selectedId)) : undefined
      case 'j':
        return run(() => step(1))
      case 'k':
        return run(() => step(-1))
      case 'r':
        return selectedId ? run(() => commands.current?.reply('reply')) : undefined
      case 'a':
        return selectedId ? run(() => commands.current?.reply('replyAll')) : undefined
      case 'f':
        return selectedId ? run(() => commands.current?.reply('forward')) : undefined
      case 'u':
        return selectedId ? run(() => commands.current?.toggleRead()) : undefined
      case 'c':
        return run(() => openCompose())
      case '/':
        return run(() => searchRef.current?.focus())
      case '?':
        return run(() => setShowKeys((s) => !s))
    }
  }
  useEffect(() => {
    const handler = (e: KeyboardEvent) => keys.current(e)
    window.addEventListener('keydown', handler)
    return () => window.removeEventListener('keydown', handler)
  }, [])

  const filtered = Boolean(filters.objectId || filters.mailboxId || filters.contact || filters.unread || filters.direction || filters.query || filters.folderId || (filters.folder && filters.folder !== 'inbox'))
  const title = filters.folderId ? (filters.folderName ?? 'Folder') : VIEW_TITLE[filters.folder ?? 'inbox']
  const clearAll = () => (setSearch(''), useInboxFilters.getState().reset())
  const showObject = (objects?.length ?? 0) > 1 && !filters.objectId && !filters.mailboxId
  const subtitle =
    list.threads === null ? 'Loading…' : threads.length === 0 && !filtered ? 'No mail yet' : list.unreadThreads === 0 ? 'All read' : `${unreadLabel(list.unreadThreads, list.unreadAtLeast)} unread${filtered ? ' in this view' : ''}`

  if (textsOn)
    return (
      <div className="inbox-page is-texts">
        <FilterRail filters={filters} onChange={(p) => (setTextsOn(false), setFilters(p))} totalUnread={totalUnread} totalAtLeast={totalAtLeast} now={now} folders={folders} textsOn onTexts={() => setTextsOn(true)} />
        <TextsPane objectId={filters.objectId} />
      </div>
    )
  return (
    <div className={`inbox-page${selectedId ? ' has-thread' : ''}`}>
      <FilterRail filters={filters} onChange={setFilters} totalUnread={totalUnread} totalAtLeast={totalAtLeast} now={now} folders={folders} onTexts={() => setTextsOn(true)} />
      <section className="inbox-list-col" aria-label="Inbox">
        <header className="inbox-head">
          <div className="inbox-title">
            <h1>{title}</h1>
            <span className="inbox-sub">{subtitle}</span>
            <button
              type="button"
              className="icon-button inbox-get-mail"
              aria-label="Check for new mail"
              title="Check every mailbox for new mail"
              disabled={checking || !(sync ?? []).some((s) => s.state !== 'disabled')}
              onClick={checkAll}
            >
              <Icon name="retry" className={checking ? 'is-spinning' : undefined} />
            </button>
            <button type="button" className="icon-button inbox-keys-toggle" aria-label="Keyboard shortcuts" aria-expanded={showKeys} title="Keyboard shortcuts (?)" onClick={() => setShowKeys((s) => !s)}>
              <Icon name="keyboard" />
            </button>
          </div>
          <div className={`search inbox-search${list.queryError ? ' has-error' : ''}`}>
            <Icon name="search" className="search-icon" />
            <input
              ref={searchRef}
              type="search"
              className="input search-input"
              placeholder="Search mail  ( / )"
              aria-label="Search mail"
              aria-invalid={list.queryError ? true : undefined}
              aria-describedby={list.queryError ? 'inbox-search-err' : undefined}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && setFilters({ query: search.trim() || undefined })}
            />
          </div>
          {list.queryError && (
            <p className="field-error inbox-search-error" id="inbox-search-err" role="alert">
              {list.queryError}
            </p>
          )}
          {showKeys && <ShortcutSheet onClose={() => setShowKeys(false)} />}
        </header>
        <TriageBar
          threads={threads}
          selected={checked}
          targets={targetThreads}
          triage={triage}
          folders={folders}
          moveOpen={moveOpen}
          setMoveOpen={setMoveOpen}
          onSelectAll={(all) => (all ? useSelection.getState().set(threads.map((t) => t.id)) : useSelection.getState().clear())}
          unreadThreads={list.unreadThreads}
          inTrash={inTrash}
        />
        {list.error && (
          <p className="inbox-error" role="alert">
            <Icon name="alert" size={14} /> {list.error}
            <button type="button" className="link-button" onClick={list.reload}>
              Try again
            </button>
          </p>
        )}
        {filters.query && <NoteHits query={filters.query} />}
        {list.threads === null ? (
          <ListSkeleton />
        ) : threads.length === 0 ? (
          <ListEmpty filtered={filtered} searching={Boolean(filters.query)} sync={sync ?? []} onClear={clearAll} />
        ) : (
          <ThreadList
            list={list}
            selectedId={selectedId}
            onOpen={(t) => (useSelection.getState().clear(), open(t))}
            showObject={showObject}
            viewKey={viewKey}
            now={now}
            checked={checked}
            onSelectClick={(t, e) => clickSelect(threads, t.id, e)}
            onToggle={(t) => useSelection.getState().toggle(t.id)}
            onStar={(t) => {
              // The row's own star acts on that row only, whatever is selected.
              const flagged = !t.latest.flagged
              list.patch(t.id, (x) => ({ ...x, latest: { ...x.latest, flagged } }))
              rpc('messages.flag', { threadIds: [t.id], flagged }).catch((err) => (toastError(err), list.reload()))
            }}
            onMenu={(t, at) => {
              // Right-click on a row outside the selection acts on that row alone.
              if (!useSelection.getState().ids.has(t.id)) useSelection.getState().set([t.id], t.id)
              setMenu(at)
            }}
          />
        )}
      </section>
      {menu && <ThreadMenu x={menu.x} y={menu.y} targets={targetThreads} triage={triage} inTrash={inTrash} onMove={() => setMoveOpen(true)} onClose={() => setMenu(null)} />}
      {selectedId ? (
        <ReadingPane
          key={selectedId}
          threadId={selectedId}
          commands={commands}
          now={now}
          onClose={() => navigate({ name: 'inbox' })}
          onReadChange={(id, unreadCount) => list.patch(id, (t) => ({ ...t, unreadCount }))}
          onFilterContact={(contact) => setFilters({ contact })}
        />
      ) : (
        <section className="reading-pane is-empty" aria-label="Conversation">
          <div className="pane-placeholder">
            <span className="pane-placeholder-icon">
              <Icon name="mail" size={26} />
            </span>
            <h2>{threads.length ? 'Select a conversation' : 'Nothing to read yet'}</h2>
            <p>
              Press <kbd>j</kbd> and <kbd>k</kbd> to move through your mail, <kbd>c</kbd> to write a new message, <kbd>?</kbd> for every shortcut.
            </p>
          </div>
        </section>
      )}
    </div>
  )
}

const VIEW_TITLE: Record<string, string> = { inbox: 'Inbox', flagged: 'Starred', sent: 'Sent', archive: 'Archive', junk: 'Junk', trash: 'Trash', all: 'All mail' }

function ListSkeleton(): JSX.Element {
  return <SkeletonRows rows={7} widths={['w-40', 'w-70', 'w-90']} bar="skeleton-bar" label="Loading conversations" />
}

function ListEmpty({ filtered, searching, sync, onClear }: { filtered: boolean; searching: boolean; sync: SyncStatus[]; onClear: () => void }): JSX.Element {
  const receiving = sync.filter((s) => s.state !== 'disabled')
  if (filtered)
    return (
      <EmptyState
        icon="search"
        title={searching ? 'No mail matches your search' : 'No conversations here'}
        actions={
          <button type="button" className="btn" onClick={onClear}>
            Clear search and filters
          </button>
        }
      >
        {searching ? 'Try other words, a name or an address. Search covers subjects, message text and people.' : 'Nothing matches these filters right now.'}
      </EmptyState>
    )
  if (receiving.some((s) => s.state === 'connecting' || s.state === 'syncing'))
    return (
      <EmptyState icon="inbox" title="Fetching your mail…">
        The first sync can take a few minutes for a large mailbox. Conversations appear here as they arrive.
      </EmptyState>
    )
  const broken = receiving.find((s) => s.state === 'auth_error' || s.state === 'error')
  if (broken && receiving.every((s) => s.state !== 'idle'))
    return (
      <EmptyState
        icon="alert"
        title="Can’t reach your mail"
        actions={
          <a className="btn btn-primary" href={hrefFor({ name: 'businesses', id: broken.objectId })}>
            Fix mailbox settings
          </a>
        }
      >
        {broken.email}: {broken.error ?? 'the server refused the connection.'}
      </EmptyState>
    )
  if (receiving.length === 0)
    return (
      <EmptyState
        icon="inbox"
        title="Connect a mailbox to see your mail"
        actions={
          <a className="btn btn-primary" href={hrefFor({ name: 'businesses' })}>
            <Icon name="server" /> Set up a mailbox
          </a>
        }
      >
        Add an incoming (IMAP) server to a business mailbox. Mail from every business then lands here, matched to your contacts.
      </EmptyState>
    )
  return (
    <EmptyState icon="inbox" title="You’re all caught up">
      New mail for every business lands here as soon as it arrives, matched to your contacts.
    </EmptyState>
  )
}

function ShortcutSheet({ onClose }: { onClose: () => void }): JSX.Element {
  return (
    <div className="shortcut-sheet" role="dialog" aria-label="Keyboard shortcuts">
      <div className="shortcut-head">
        <h3>Keyboard shortcuts</h3>
        <button type="button" className="icon-button" aria-label="Close shortcuts" onClick={onClose}>
          <Icon name="x" size={14} />
        </button>
      </div>
      <dl>
        {[...SHORTCUTS, ...TRIAGE_SHORTCUTS].map(([k, what]) => (
          <div key={k}>
            <dt>
              {k.split(' / ').map((part, i) => (
                <span key={part}>
                  {i > 0 && ' / '}
                  <kbd>{part}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

export type { InboxFilters }
