// Autosave for compose and replies: every change is saved as a draft ~800 ms after typing stops. Saves never
// overlap (the next one waits), so the first save's new id is used by every later one. Until the engine has
// confirmed a change, a copy sits in a localStorage journal (written synchronously as you type), so what was
// typed in the last second before a reload, a quit or a lost connection is saved at the next start.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Input } from '../../../../shared/contract'
import { RpcError, onEvent, rpc } from '../../rpc'

export type DraftFields = Omit<Input<'drafts.save'>, 'id'>
export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'local' | 'error'

const DEBOUNCE_MS = 800
/** Written by earlier versions (one draft, only while the engine was unreachable). */
const BACKUP_KEY = 'switchboard.unsavedDraft'
const JOURNAL_KEY = 'switchboard.draftJournal'

export interface Backup {
  id: number | null
  fields: DraftFields
}
type Journal = Record<string, Backup & { at: number }>

function readJournal(): Journal {
  try {
    return (JSON.parse(localStorage.getItem(JOURNAL_KEY) ?? '{}') as Journal) ?? {}
  } catch {
    return {}
  }
}
function writeJournal(j: Journal): void {
  try {
    if (Object.keys(j).length) localStorage.setItem(JOURNAL_KEY, JSON.stringify(j))
    else localStorage.removeItem(JOURNAL_KEY)
  } catch {
    // Storage full or blocked: the engine save still runs; nothing better to do here.
  }
}
export const journalPut = (key: string, entry: Backup): void => writeJournal({ ...readJournal(), [key]: { ...entry, at: Date.now() } })
export const journalDrop = (key: string): void => {
  const j = readJournal()
  if (key in j) {
    delete j[key]
    writeJournal(j)
  }
}
/** Unconfirmed edits of one surface (a reply to a message, say), if any. */
export const journalGet = (key: string): Backup | null => readJournal()[key] ?? null

/** Every edit the engine never confirmed (the window closed, the connection dropped), oldest first. */
export function takeBackups(): Array<{ key: string } & Backup> {
  const out = Object.entries(readJournal())
    .sort(([, a], [, b]) => a.at - b.at)
    .map(([key, b]) => ({ key, id: b.id, fields: b.fields }))
  try {
    const legacy = localStorage.getItem(BACKUP_KEY)
    if (legacy) out.push({ key: BACKUP_KEY, ...(JSON.parse(legacy) as Backup) })
  } catch {
    // unreadable: ignore
  }
  return out
}
export const clearBackup = (key: string): void => (key === BACKUP_KEY ? localStorage.removeItem(BACKUP_KEY) : journalDrop(key))

/** Where a reply to a message journals its edits: one reply draft per message, whatever the mode. */
export const replyJournalKey = (messageId: number): string => `reply:${messageId}`

export interface Autosave {
  draftId: number | null
  state: SaveState
  /**
   * Something was written (or a draft exists), known in the render that saw the keystroke. `state` only leaves
   * 'idle' in the effect after it, so an Esc pressed right after typing could find it still idle and close
   * without saving.
   */
  wrote: boolean
  error: string | null
  /** Saves now (if anything changed) and resolves to the draft id. Throws when the save fails. */
  flush(): Promise<number>
  /** Forget pending changes (the draft is being discarded or sent). */
  cancel(): void
}

export interface AutosaveOptions {
  /** Where unconfirmed edits are journalled (default: one key per compose window). */
  journalKey?: string
  /** What the user wrote, for "is there anything to save?" (default: the fields but the sender); lets a
   * signature that came with the sender not count as writing. */
  content?: string
}

export function useDraftAutosave(initialId: number | null, fields: DraftFields, enabled: boolean, opts: AutosaveOptions = {}): Autosave {
  const key = useRef(opts.journalKey ?? `compose:${initialId ?? Math.random().toString(36).slice(2)}`).current
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
  const content = opts.content ?? JSON.stringify({ ...fields, profileId: null })
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
        // The journal goes once the engine has the latest words (not an older snapshot).
        if (!cancelled.current && JSON.stringify(latest.current) === body) journalDrop(key)
        else if (!cancelled.current) journalPut(key, { id: draft.id, fields: latest.current })
        setError(null)
        setState(JSON.stringify(latest.current) === body ? 'saved' : 'pending')
        return draft.id
      } catch (err) {
        if (err instanceof RpcError && err.code === 'UNAVAILABLE') {
          // Already in the journal: saved at the next start, or as soon as the connection is back.
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
    if (!cancelled.current) journalPut(key, { id: idRef.current, fields: latest.current })
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

  // The window is closing or going to the background: the journal has the words; try the engine too.
  useEffect(() => {
    const flushNow = () => {
      if (cancelled.current || !wroteRef.current || saved.current === JSON.stringify(latest.current)) return
      journalPut(key, { id: idRef.current, fields: latest.current })
      void save().catch(() => undefined)
    }
    const onVisibility = () => document.visibilityState === 'hidden' && flushNow()
    window.addEventListener('pagehide', flushNow)
    window.addEventListener('beforeunload', flushNow)
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      window.removeEventListener('pagehide', flushNow)
      window.removeEventListener('beforeunload', flushNow)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [save, key])

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
    journalDrop(key)
  }, [key])

  return { draftId, state, wrote, error, flush: save, cancel }
}
