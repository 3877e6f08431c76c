// "You have unsaved changes": a screen with edits asks before the app navigates away (Save / Discard /
// Stay) and lets the browser ask before the window is closed or reloaded. A user's words are never
// dropped without asking.
import { useEffect, useRef, useState, type JSX } from 'react'
import { addNavigationGuard, navigateAnyway } from '../lib/router'
import { Dialog } from './Dialog'

interface Options {
  dirty: boolean
  /** Saves the edits; resolves true when saved (false: the form now shows why not, so we stay). */
  save: () => Promise<boolean>
  discard: () => void
  /** What is being edited, for the dialog's words ("this contact"). */
  what: string
}

/** Guards navigation while `dirty`; render the returned element (null when nothing is asked). */
export function useUnsavedChanges({ dirty, save, discard, what }: Options): JSX.Element | null {
  const [pending, setPending] = useState<string | null>(null)
  const latest = useRef({ dirty, save, discard })
  latest.current = { dirty, save, discard }

  useEffect(() => {
    if (!dirty) return
    const remove = addNavigationGuard((to) => {
      setPending(to)
      return false
    })
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault()
      e.returnValue = '' // the browser's own "Leave site?" prompt
    }
    window.addEventListener('beforeunload', onUnload)
    return () => {
      remove()
      window.removeEventListener('beforeunload', onUnload)
    }
  }, [dirty])

  if (pending === null) return null
  return (
    <UnsavedDialog
      what={what}
      onStay={() => setPending(null)}
      onDiscard={() => {
        latest.current.discard()
        setPending(null)
        navigateAnyway(pending)
      }}
      onSave={async () => {
        const ok = await latest.current.save()
        setPending(null)
        if (ok) navigateAnyway(pending)
      }}
    />
  )
}

function UnsavedDialog({ what, onStay, onDiscard, onSave }: { what: string; onStay: () => void; onDiscard: () => void; onSave: () => Promise<void> }): JSX.Element {
  const [busy, setBusy] = useState(false)
  return (
    <Dialog
      title="Save your changes?"
      size="sm"
      onClose={onStay}
      onSubmit={() => {
        setBusy(true)
        void onSave()
      }}
      footer={
        <>
          <button type="button" className="btn" onClick={onStay}>
            Stay
          </button>
          <button type="button" className="btn btn-danger-outline" onClick={onDiscard}>
            Discard
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} autoFocus>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <p className="confirm-message">You changed {what} and have not saved it. Save the changes before leaving, or discard them?</p>
    </Dialog>
  )
}
