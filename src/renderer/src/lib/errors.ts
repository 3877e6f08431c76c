// Turning engine errors into words on screen: field errors go next to their field, the rest to a
// banner or a toast. Nothing here ever throws.
import { useCallback, useState } from 'react'
import { RpcError } from '../rpc'

export function messageOf(err: unknown): string {
  if (err instanceof RpcError) return err.message
  if (err instanceof Error) return err.message
  return 'Something went wrong'
}

export interface FormErrors {
  /** Message per input name (engine `field` paths such as `email`, `smtp.host`, `fields.Notes`). */
  fields: Record<string, string>
  /** An error that belongs to no single field. */
  form: string | null
  /** Files an error under its field when the form shows that field, else as the form error. */
  take(err: unknown, known?: (field: string) => boolean): void
  clear(): void
  set(field: string, message: string): void
}

export function useFormErrors(): FormErrors {
  const [fields, setFields] = useState<Record<string, string>>({})
  const [form, setForm] = useState<string | null>(null)
  const take = useCallback((err: unknown, known: (field: string) => boolean = () => true) => {
    const field = err instanceof RpcError ? err.field : undefined
    if (field && known(field)) {
      setFields({ [field]: messageOf(err) })
      setForm(null)
    } else {
      setFields({})
      setForm(messageOf(err))
    }
  }, [])
  const clear = useCallback(() => {
    setFields({})
    setForm(null)
  }, [])
  const set = useCallback((field: string, message: string) => setFields((f) => ({ ...f, [field]: message })), [])
  return { fields, form, take, clear, set }
}
