// Autosave for compose: every change is saved as a draft ~800 ms after typing stops. Saves never overlap
// (the next one waits), so the first save's new id is used by every later one. If the engine cannot be
// reached the draft is kept in localStorage and saved as soon as the connection is back.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Input } from '../../../../shared/contract'
import { RpcError, onEvent, rpc } from '../../rpc'

export type DraftFields = Omit<Input<'drafts.save'>, 'id'>
export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'local' | 'error'

const DEBOUNCE_MS = 800
const BACKUP_KEY = 'switchboard.unsavedDraft'

interface Backup {
  id: number | null
  fields: DraftFields
}

/** A draft that never reached the engine (the connection dropped), if one is waiting. */
export function takeBackup(): Backup | null {
  try {
    const raw = localStorage.getItem(BACKUP_KEY)
    return raw ? (JSON.parse(raw) as Backup) : null
  } catch {
    return null
  }
}
export const clearBackup = (): void => localStorage.removeItem(BACKUP_KEY)

export interface Autosave {
  draftId: number | null
  state: SaveState
  error: string | null
  /** Saves now (if anything changed) and resolves to the draft id. Throws when the save fails. */
  flush(): Promise<number>
  /** Forget pending changes (the draft is being discarded or sent). */
  cancel(): void
}

export function useDraftAutosave(initialId: number | null, fields: DraftFields, enabled: boolean): Autosave {
  const [draftId, setDraftId] = useState(initialId)
  const [state, setState] = useState<SaveState>(initialId ? 'saved' : 'idle')
  const [error, setError] = useState<string | null>(null)
  const idRef = useRef(initialId)
  const latest = useRef(fields)
  latest.current = fields
  const json = JSON.stringify(fields)
  // What the engine has. A new compose counts its prefill as saved, and picking a sender alone does not
  // make a draft either: only something the user wrote does.
  const saved = useRef(json)
  const content = JSON.stringify({ ...fields, profileId: null })
  const prefill = useRef(content)
  const wrote = draftId !== null || content !== prefill.current
  const wroteRef = useRef(wrote)
  wroteRef.current = wrote
  const chain = useRef<Promise<unknown>>(Promise.resolve())
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const cancelled = useRef(false)

  const save = useCallback((): Promise<number> => {
    clearTimeout(timer.current)
    const run = async (): Promise<number> => {
      const snapshot = latest.current
      const body = JSON.stringify(snapshot)
      if (cancelled.current) throw new Error('Discarded')
      if (body === saved.current && idRef.current !== null) return idRef.current
      setState('saving')
      try {
        const draft = await rpc('drafts.save', { ...snapshot, ...(idRef.current ? { id: idRef.current } : {}) })
        idRef.current = draft.id
        setDraftId(draft.id)
        saved.current = body
        clearBackup()
        setError(null)
        setState(JSON.stringify(latest.current) === body ? 'saved' : 'pending')
        return draft.id
      } catch (err) {
        if (err instanceof RpcError && err.code === 'UNAVAILABLE') {
          localStorage.setItem(BACKUP_KEY, JSON.stringify({ id: idRef.current, fields: snapshot } satisfies Backup))
          setState('local')
        } else {
          setError(err instanceof Error ? err.message : 'Could not save the draft')
          setState('error')
        }
        throw err
      }
    }
    const next = chain.current.then(run, run)
    chain.current = next.catch(() => undefined)
    return next
  }, [])

  useEffect(() => {
    if (!enabled || !wrote || saved.current === json) return
    setState((s) => (s === 'saving' ? s : 'pending'))
    timer.current = setTimeout(() => void save().catch(() => undefined), DEBOUNCE_MS)
    return () => clearTimeout(timer.current)
  }, [json, enabled, wrote, save])

  // Kept locally while cut off: try again the moment the engine is back.
  useEffect(
    () =>
      onEvent('transport.open', () => {
        if (saved.current !== JSON.stringify(latest.current)) void save().catch(() => undefined)
      }),
    [save],
  )

  // Compose replaced or closed mid-debounce (e.g. an undo opening another draft): keep what was typed.
  useEffect(
    () => () => {
      if (!cancelled.current && wroteRef.current && saved.current !== JSON.stringify(latest.current)) void save().catch(() => undefined)
    },
    [save],
  )

  const cancel = useCallback(() => {
    cancelled.current = true
    clearTimeout(timer.current)
  }, [])

  return { draftId, state, error, flush: save, cancel }
}
