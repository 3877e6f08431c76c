// Kept only for screens/sequences/EnrollDialog.tsx (being rewritten elsewhere at the time of writing): new
// code uses useQuery/useLoad from ./useQuery, which this now forwards to. Delete once nothing imports it.
import type { EventName } from '../../../shared/contract'
import { useLoad, type Remote } from './useQuery'

export type { Remote } from './useQuery'

export function useRemote<T>(load: () => Promise<T>, deps: unknown[], events: EventName[] = [], refreshMs = 250): Remote<T> {
  return useLoad(load, deps, { events, delayMs: refreshMs })
}
