// Boot: ask the engine who it is, keep the shared lists (and the sending status the shell shows) fresh
// from pushed events, then show either the first-run wizard or the app shell with the current screen.
import { lazy, Suspense, useEffect, useState, type JSX } from 'react'
import { OfflineBanner, useBannerText } from './components/OfflineBanner'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { messageOf } from './lib/errors'
import { isTyping } from './lib/inbox'
import { applyTheme } from './lib/theme'
import { navigate, useRoute } from './lib/router'
import { onEvent } from './rpc'
import { AutoresponderEditor } from './screens/autoresponders/AutoresponderEditor'
import { AutorespondersScreen } from './screens/autoresponders/AutorespondersScreen'
import { BusinessesScreen } from './screens/businesses/BusinessesScreen'
import { ContactProfile } from './screens/contact/ContactProfile'
import { ComposeHost } from './screens/compose/ComposeDialog'
import { openCompose, recoverUnsavedDraft, useCompose } from './screens/compose/composeState'
import { ContactsScreen } from './screens/contacts/ContactsScreen'
import { DataScreen } from './screens/data/DataScreen'
import { RecoveryBanner } from './screens/data/RecoveryNotice'
import { DraftsScreen } from './screens/drafts/DraftsScreen'
import { ImportScreen } from './screens/import/ImportScreen'
import { InboxScreen } from './screens/inbox/InboxScreen'
import { notifyNewMail } from './screens/inbox/notify'
import { Onboarding } from './screens/onboarding/Onboarding'
import { OutboxScreen } from './screens/outbox/OutboxScreen'
import { SequencePage } from './screens/sequences/SequencePage'
import { SequencesScreen } from './screens/sequences/SequencesScreen'
import { useApp } from './store'
import { CompaniesScreen } from './screens/companies/CompaniesScreen'
import { CompanyPage } from './screens/companies/CompanyPage'
// the CRM (issue 19)
import { TodayScreen } from './screens/today/TodayScreen'
import { TaskReminders } from './screens/today/reminders'
// flows (issue 16)
import { FlowsScreen } from './screens/flows/FlowsScreen'

// The flow editor carries the canvas library (React Flow); it loads when a flow is first opened.
const FlowEditor = lazy(() => import('./screens/flows/FlowEditor').then((m) => ({ default: m.FlowEditor })))
// template library and bulk sends (issue 18)
import { TemplateEditor } from './screens/templates/TemplateEditor'
import { TemplatesScreen } from './screens/templates/TemplatesScreen'
// team workspace (issue 22)
import { TeamScreen } from './screens/team/TeamScreen'

// The dashboard carries the chart library; it loads when first opened, not at boot.
const DashboardScreen = lazy(() => import('./screens/dashboard/DashboardScreen').then((m) => ({ default: m.DashboardScreen })))

// The theme the user chose on this computer (System unless they picked Light or Dark), before first paint.
applyTheme()

/** `c` composes from every screen, as in Gmail and Mailspring: not while typing, not over a dialog, not when
 * a screen already handled the key (the inbox has its own `c`), and never twice. */
export function onComposeKey(e: KeyboardEvent): void {
  if (e.key !== 'c' || e.metaKey || e.ctrlKey || e.altKey || e.repeat || isTyping(e.target)) return
  // Screens' own handlers run after this one when they registered later, so decide once the key is done.
  setTimeout(() => {
    if (!e.defaultPrevented && !useCompose.getState().session) openCompose()
  })
}

/** Listens for `c` while the app shell is showing (not during first-run set-up). */
function ComposeKey(): null {
  useEffect(() => {
    window.addEventListener('keydown', onComposeKey)
    return () => window.removeEventListener('keydown', onComposeKey)
  }, [])
  return null
}

type Boot = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; onboarding: boolean }

export function App(): JSX.Element {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' })
  const route = useRoute()
  const banner = useBannerText()

  const start = () => {
    setBoot({ state: 'loading' })
    useApp
      .getState()
      .loadInfo()
      .then((info) => {
        useApp.setState({ connection: 'open' })
        setBoot({ state: 'ready', onboarding: info.firstRun })
        void recoverUnsavedDraft()
      })
      .catch((err) => setBoot({ state: 'failed', message: messageOf(err) }))
  }

  useEffect(() => {
    start()
    const { loadObjects, loadTags, loadNet, loadOutboxCounts, loadInboxUnread, loadSync } = useApp.getState()
    void loadObjects()
    void loadTags()
    void loadNet()
    void loadOutboxCounts()
    void loadInboxUnread()
    void loadSync()
    // Contact changes move the per-business counts, so they refresh the business list too (batched).
    let pending: ReturnType<typeof setTimeout> | undefined
    const refreshObjectsSoon = () => {
      clearTimeout(pending)
      pending = setTimeout(() => void useApp.getState().loadObjects(), 300)
    }
    // The held count in net.status moves with the outbox, but only endpoint changes push a net.status.
    let outboxPending: ReturnType<typeof setTimeout> | undefined
    const refreshOutboxSoon = () => {
      clearTimeout(outboxPending)
      outboxPending = setTimeout(() => void (useApp.getState().loadOutboxCounts(), useApp.getState().loadNet()), 300)
    }
    // New mail moves the sidebar's unread badge (batched: a first sync reports in bursts).
    let inboxPending: ReturnType<typeof setTimeout> | undefined
    const refreshInboxSoon = () => {
      clearTimeout(inboxPending)
      inboxPending = setTimeout(() => void useApp.getState().loadInboxUnread(), 300)
    }
    const offs = [
      onEvent('sync.status', (status) => useApp.getState().applySync(status)),
      onEvent('inbox.changed', (p) => {
        refreshInboxSoon()
        if (p.newMessages > 0) notifyNewMail(p.newMessages, p.threadIds)
      }),
      onEvent('objects.changed', refreshObjectsSoon),
      onEvent('contacts.changed', refreshObjectsSoon),
      onEvent('tags.changed', () => void useApp.getState().loadTags()),
      onEvent('outbox.changed', refreshOutboxSoon),
      onEvent('net.status', (net) => useApp.setState({ net })),
      onEvent('transport.open', () => {
        useApp.setState({ connection: 'open' })
        refreshObjectsSoon()
        refreshOutboxSoon()
        refreshInboxSoon()
        void useApp.getState().loadSync()
      }),
      onEvent('transport.closed', () => useApp.setState({ connection: 'closed' })),
    ]
    return () => (offs.forEach((off) => off()), clearTimeout(pending), clearTimeout(outboxPending), clearTimeout(inboxPending))
  }, [])

  if (boot.state === 'loading') return <div className="splash" aria-busy="true" />
  if (boot.state === 'failed')
    return (
      <div className="splash">
        <div className="splash-card">
          <h1>Can’t reach Switchboard</h1>
          <p>{boot.message}</p>
          <button type="button" className="btn btn-primary" onClick={start}>
            Try again
          </button>
        </div>
      </div>
    )
  // An empty desktop may join a team workspace instead of setting up a business (Settings › Team).
  if (boot.state === 'ready' && boot.onboarding && route.name !== 'team')
    return (
      <>
        {/* A damaged database leaves an empty workspace: say so before the wizard offers to start over. */}
        <RecoveryBanner />
        <Onboarding
          onDone={() => {
            navigate({ name: 'contacts' })
            setBoot({ state: 'ready', onboarding: false })
          }}
        />
        <Toasts />
      </>
    )

  return (
    <div className={`shell${banner ? ' has-banner' : ''}`}>
      <Sidebar route={route} />
      <main className="main">
        <OfflineBanner />
        {route.name === 'contacts' && <ContactsScreen />}
        {route.name === 'contact' && <ContactProfile key={route.id} id={route.id} />}
        {route.name === 'import' && <ImportScreen />}
        {route.name === 'businesses' && <BusinessesScreen selectedId={route.id} />}
        {route.name === 'drafts' && <DraftsScreen />}
        {route.name === 'outbox' && <OutboxScreen selectedId={route.id} />}
        {route.name === 'inbox' && <InboxScreen selectedId={route.id} />}
        {route.name === 'dashboard' && (
          <Suspense fallback={<div className="page page-loading" aria-busy="true" />}>
            <DashboardScreen />
          </Suspense>
        )}
        {route.name === 'autoresponders' && (route.id ? <AutoresponderEditor key={route.id} id={route.id} /> : <AutorespondersScreen />)}
        {route.name === 'sequences' && (route.id ? <SequencePage key={route.id} id={route.id} /> : <SequencesScreen />)}
        {route.name === 'data' && <DataScreen />}
        {route.name === 'companies' && (route.id ? <CompanyPage key={route.id} id={route.id} /> : <CompaniesScreen />)}
        {route.name === 'today' && <TodayScreen />}
        {route.name === 'flows' &&
          (route.id ? (
            <Suspense fallback={<div className="page page-loading" aria-busy="true" />}>
              <FlowEditor key={route.id} id={route.id} />
            </Suspense>
          ) : (
            <FlowsScreen />
          ))}
        {route.name === 'templates' && (route.id ? <TemplateEditor key={route.id} id={route.id} /> : <TemplatesScreen />)}
        {route.name === 'team' && <TeamScreen />}
      </main>
      <ComposeHost />
      <ComposeKey />
      <TaskReminders />
      <Toasts />
    </div>
  )
}
