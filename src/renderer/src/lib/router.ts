// Hash routing (no router library): the hash survives reloads, works under file:// in Electron and
// leaves the ?token= query of the web host alone.
import { useSyncExternalStore } from 'react'

export type Route =
  | { name: 'contacts' }
  | { name: 'contact'; id: number }
  | { name: 'import' }
  | { name: 'businesses'; id?: number }
  | { name: 'drafts' }
  | { name: 'outbox'; id?: number }
  | { name: 'inbox'; id?: number }
  | { name: 'dashboard' }
  | { name: 'autoresponders'; id?: number | 'new' }
  | { name: 'sequences'; id?: number | 'new' }
  | { name: 'data' }
  | { name: 'companies'; id?: number }
  // the CRM (issue 19)
  | { name: 'today' }
  // flows (issue 16)
  | { name: 'flows'; id?: number }
  // template library (issue 18)
  | { name: 'templates'; id?: number | 'new' }
  // team workspace (issue 22)
  | { name: 'team' }

export function parseRoute(hash: string): Route {
  const [, section, rawId] = hash.replace(/^#/, '').split('/')
  const id = Number(rawId)
  const hasId = Number.isInteger(id) && id > 0
  if (section === 'contacts' && hasId) return { name: 'contact', id }
  if (section === 'import') return { name: 'import' }
  if (section === 'businesses') return hasId ? { name: 'businesses', id } : { name: 'businesses' }
  if (section === 'drafts') return { name: 'drafts' }
  if (section === 'outbox') return hasId ? { name: 'outbox', id } : { name: 'outbox' }
  if (section === 'inbox') return hasId ? { name: 'inbox', id } : { name: 'inbox' }
  if (section === 'dashboard') return { name: 'dashboard' }
  if (section === 'data') return { name: 'data' }
  if (section === 'companies') return hasId ? { name: 'companies', id } : { name: 'companies' }
  if (section === 'today') return { name: 'today' }
  if (section === 'team') return { name: 'team' }
  if (section === 'flows') return hasId ? { name: 'flows', id } : { name: 'flows' }
  if (section === 'templates') return rawId === 'new' ? { name: 'templates', id: 'new' } : hasId ? { name: 'templates', id } : { name: 'templates' }
  if (section === 'autoresponders' || section === 'sequences') return rawId === 'new' ? { name: section, id: 'new' } : hasId ? { name: section, id } : { name: section }
  return { name: 'contacts' }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'contact':
      return `#/contacts/${route.id}`
    case 'businesses':
      return route.id ? `#/businesses/${route.id}` : '#/businesses'
    case 'outbox':
      return route.id ? `#/outbox/${route.id}` : '#/outbox'
    case 'inbox':
      return route.id ? `#/inbox/${route.id}` : '#/inbox'
    case 'companies':
      return route.id ? `#/companies/${route.id}` : '#/companies'
    case 'flows':
      return route.id ? `#/flows/${route.id}` : '#/flows'
    case 'autoresponders':
    case 'sequences':
    case 'templates':
      return route.id ? `#/${route.name}/${route.id}` : `#/${route.name}`
    default:
      return `#/${route.name}`
  }
}

export function navigate(route: Route): void {
  const href = hrefFor(route)
  if (location.hash !== href) location.hash = href
}

const subscribe = (fn: () => void) => {
  window.addEventListener('hashchange', fn)
  return () => window.removeEventListener('hashchange', fn)
}

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash)
  return parseRoute(hash)
}

// ---- Leaving with unsaved edits (issue 20 defect 4) ----
// A screen with unsaved edits registers a guard; a hash change it refuses is undone before any screen
// sees it (this listener is added at load, before React subscribes), and the guard asks the user.
type Guard = (toHash: string) => boolean
const guards = new Set<Guard>()
let acceptedHash = typeof location === 'undefined' ? '' : location.hash
let bypass = false

if (typeof window !== 'undefined')
  window.addEventListener('hashchange', () => {
    const to = location.hash
    if (!bypass && to !== acceptedHash && [...guards].some((g) => !g(to))) {
      history.replaceState(history.state, '', `${location.pathname}${location.search}${acceptedHash || '#'}`)
      return
    }
    bypass = false
    acceptedHash = to
  })

/** While registered, `guard(toHash)` returning false keeps the app where it is (it then asks the user). */
export function addNavigationGuard(guard: Guard): () => void {
  guards.add(guard)
  return () => guards.delete(guard)
}

/** Goes to `hash` past every guard: the user chose to discard or has saved. */
export function navigateAnyway(hash: string): void {
  if (location.hash === hash) return
  bypass = true
  location.hash = hash
}
