// A dialog's one action: busy while it runs; when it fails, its error in words and the buttons back.
// A success leaves it busy, since the dialog closes (or moves on) then.
import { useState } from 'react'
import { messageOf } from './errors'

export function useAction(): { busy: boolean; error: string | null; setError: (e: string | null) => void; run: (action: () => Promise<unknown>) => Promise<void> } {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}
