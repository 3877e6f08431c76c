// App-wide state: connection, toasts and the two small lists every screen needs (businesses and tags).
// Contacts are not here: the grid pages them from the engine on demand.
import { create } from 'zustand'
import type { BizObject, Tag } from '../../shared/models'
import { messageOf } from './lib/errors'
import { rpc, transportKind } from './rpc'

export interface Toast {
  id: number
  kind: 'error' | 'success'
  text: string
}

interface AppState {
  connection: 'connecting' | 'open' | 'closed'
  objects: BizObject[] | null
  tags: Tag[] | null
  toasts: Toast[]
  loadObjects(): Promise<void>
  loadTags(): Promise<void>
  toast(kind: Toast['kind'], text: string): void
  dismiss(id: number): void
}

let nextToast = 1

export const useApp = create<AppState>((set, get) => ({
  connection: transportKind === 'electron' ? 'open' : 'connecting',
  objects: null,
  tags: null,
  toasts: [],
  async loadObjects() {
    try {
      set({ objects: await rpc('objects.list', {}) })
    } catch (err) {
      get().toast('error', messageOf(err))
    }
  },
  async loadTags() {
    try {
      set({ tags: await rpc('tags.list', {}) })
    } catch (err) {
      get().toast('error', messageOf(err))
    }
  },
  toast(kind, text) {
    const id = nextToast++
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, kind, text }] }))
    setTimeout(() => get().dismiss(id), kind === 'error' ? 7000 : 3500)
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
  },
}))

/** For event handlers outside React: report any error as a toast. */
export const toastError = (err: unknown): void => useApp.getState().toast('error', messageOf(err))
export const toastOk = (text: string): void => useApp.getState().toast('success', text)

/** Business name by id, for grid cells and labels. */
export function objectName(objects: BizObject[] | null, id: number | null): string {
  if (id === null) return ''
  return objects?.find((o) => o.id === id)?.name ?? ''
}
