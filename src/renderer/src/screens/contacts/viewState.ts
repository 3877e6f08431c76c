// The grid's search, filters and sort live outside the screen so they survive opening a contact and
// coming back.
import { create } from 'zustand'
import type { ListParams } from './useContactList'

interface ContactsView {
  query: string
  /** '' = all businesses, 'none' = no business, else an object id. */
  objectFilter: string
  /** '' = any tag, else a tag id. */
  tagFilter: string
  /** '' = no segment, else a segment id (issue 19). */
  segmentFilter: string
  sort: ListParams['sort']
  set(patch: Partial<Omit<ContactsView, 'set'>>): void
}

export const useContactsView = create<ContactsView>((set) => ({
  query: '',
  objectFilter: '',
  tagFilter: '',
  segmentFilter: '',
  sort: { field: 'name', dir: 'asc' },
  set: (patch) => set(patch),
}))
