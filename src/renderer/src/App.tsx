// Boot: ask the engine who it is, keep the shared lists fresh from pushed events, then show either the
// first-run wizard or the app shell with the current screen.
import { useEffect, useState, type JSX } from 'react'
import { Sidebar } from './components/Sidebar'
import { Toasts } from './components/Toasts'
import { messageOf } from './lib/errors'
import { navigate, useRoute } from './lib/router'
import { onEvent, rpc } from './rpc'
import { BusinessesScreen } from './screens/businesses/BusinessesScreen'
import { ContactProfile } from './screens/contact/ContactProfile'
import { ContactsScreen } from './screens/contacts/ContactsScreen'
import { ImportScreen } from './screens/import/ImportScreen'
import { Onboarding } from './screens/onboarding/Onboarding'
import { useApp } from './store'

type Boot = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; onboarding: boolean }

export function App(): JSX.Element {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' })
  const route = useRoute()

  const start = () => {
    setBoot({ state: 'loading' })
    rpc('app.info', {})
      .then((info) => {
        useApp.setState({ connection: 'open' })
        setBoot({ state: 'ready', onboarding: info.firstRun })
      })
      .catch((err) => setBoot({ state: 'failed', message: messageOf(err) }))
  }

  useEffect(() => {
    start()
    const { loadObjects, loadTags } = useApp.getState()
    void loadObjects()
    void loadTags()
    // Contact changes move the per-business counts, so they refresh the business list too (batched).
    let pending: ReturnType<typeof setTimeout> | undefined
    const refreshObjectsSoon = () => {
      clearTimeout(pending)
      pending = setTimeout(() => void useApp.getState().loadObjects(), 300)
    }
    const offs = [
      onEvent('objects.changed', refreshObjectsSoon),
      onEvent('contacts.changed', refreshObjectsSoon),
      onEvent('tags.changed', () => void useApp.getState().loadTags()),
      onEvent('transport.open', () => {
        useApp.setState({ connection: 'open' })
        refreshObjectsSoon()
      }),
      onEvent('transport.closed', () => useApp.setState({ connection: 'closed' })),
    ]
    return () => offs.forEach((off) => off())
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
  if (boot.state === 'ready' && boot.onboarding)
    return (
      <>
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
    <div className="shell">
      <Sidebar route={route} />
      <main className="main">
        {route.name === 'contacts' && <ContactsScreen />}
        {route.name === 'contact' && <ContactProfile key={route.id} id={route.id} />}
        {route.name === 'import' && <ImportScreen />}
        {route.name === 'businesses' && <BusinessesScreen selectedId={route.id} />}
      </main>
      <Toasts />
    </div>
  )
}
