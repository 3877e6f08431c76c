// A dialog's one action: busy while it runs; when it fails, its error in words and the buttons back.
// A success leaves it busy, since the dialog closes (or moves on) then.
import { useState } from 'react'
import { messageOf, useFormErrors, type FormErrors } from './errors'

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

/** The same for a form with fields: errors cleared as it starts, and a failure's errors shown at the fields
 * `known` names (errors.fields), the rest above the buttons (errors.form). `stays`: the form stays on
 * screen after a success (a card, not a dialog), so busy ends then too. */
export function useFormAction(
  known?: (field: string) => boolean,
  { stays = false }: { stays?: boolean } = {},
): { busy: boolean; errors: FormErrors; run: (action: () => Promise<unknown>) => Promise<void> } {
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true)
    errors.clear()
    try {
      await action()
      if (stays) setBusy(false)
    } catch (err) {
      errors.take(err, known)
      setBusy(false)
    }
  }
  return { busy, errors, run }
}
