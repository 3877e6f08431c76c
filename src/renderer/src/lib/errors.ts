// Turning engine errors into words on screen: field errors go next to their field (all of them at once),
// the rest to a banner or a toast, and focus moves to the first invalid field. Nothing here ever throws.
import { useCallback, useEffect, useState } from 'react'
import type { FieldError } from '../../../shared/result'
import { RpcError } from '../rpc'

export function messageOf(err: unknown): string {
  if (err instanceof RpcError) return err.message
  if (err instanceof Error) return err.message
  return 'Something went wrong'
}

/** Every field the engine blamed, in its order: `error.fields` when several, else the one `field`. */
export function fieldErrorsOf(err: unknown): FieldError[] {
  if (!(err instanceof RpcError)) return []
  const { fields, field, message } = err.error
  if (fields && fields.length > 0) return fields
  return field ? [{ field, message }] : []
}

/**
 * Splits an error into messages per known field and words for the rest (fields this form does not show,
 * or an error about no field), so nothing the engine said is lost.
 */
export function splitError(err: unknown, known: (field: string) => boolean = () => true, key: (field: string) => string | null = (f) => f): { fields: Record<string, string>; form: string | null } {
  const fields: Record<string, string> = {}
  const rest: string[] = []
  for (const f of fieldErrorsOf(err)) {
    const k = known(f.field) ? key(f.field) : null
    if (k !== null && !(k in fields)) fields[k] = f.message
    else if (k === null && !rest.includes(f.message)) rest.push(f.message)
  }
  if (Object.keys(fields).length === 0 && rest.length === 0) return { fields, form: messageOf(err) }
  return { fields, form: rest.length ? rest.join(' · ') : null }
}

/** The first invalid input, in the open dialog when there is one (else the page). */
function firstInvalid(): HTMLElement | null {
  const dialogs = document.querySelectorAll('dialog[open]')
  const scope: ParentNode = dialogs.length ? dialogs[dialogs.length - 1]! : document
  return scope.querySelector<HTMLElement>('[aria-invalid="true"]')
}

function focusNow(el: HTMLElement): void {
  el.focus({ preventScroll: true })
  el.scrollIntoView({ block: 'center', behavior: 'instant' as ScrollBehavior })
}

/**
 * Moves focus to the first invalid input once the errors have rendered, so a keyboard or screen-reader
 * user lands where the fixing starts. For forms whose errors live outside useFormErrors: it looks on the
 * next few frames until the marked input is there.
 */
export function focusFirstInvalid(frames = 10): void {
  requestAnimationFrame(() => {
    const el = firstInvalid()
    if (el) focusNow(el)
    else if (frames > 1) focusFirstInvalid(frames - 1)
  })
}

export interface FormErrors {
  /** Message per input name (engine `field` paths such as `email`, `smtp.host`, `fields.Notes`). */
  fields: Record<string, string>
  /** An error that belongs to no single field. */
  form: string | null
  /**
   * Files every field error under its field when the form shows that field (the rest as the form error)
   * and focuses the first invalid one.
   */
  take(err: unknown, known?: (field: string) => boolean): void
  clear(): void
  set(field: string, message: string): void
  /** Local checks: shows them all and focuses the first. Returns whether there were any. */
  setAll(fields: Record<string, string>): boolean
}

export function useFormErrors(): FormErrors {
  const [fields, setFields] = useState<Record<string, string>>({})
  const [form, setForm] = useState<string | null>(null)
  // Bumped with every new set of field errors; the effect runs after React has marked the inputs.
  const [focusTick, setFocusTick] = useState(0)
  useEffect(() => {
    if (focusTick === 0) return
    const el = firstInvalid()
    if (el) focusNow(el)
  }, [focusTick])
  const take = useCallback((err: unknown, known: (field: string) => boolean = () => true) => {
    const split = splitError(err, known)
    setFields(split.fields)
    setForm(split.form)
    if (Object.keys(split.fields).length) setFocusTick((n) => n + 1)
  }, [])
  const clear = useCallback(() => {
    setFields({})
    setForm(null)
  }, [])
  const set = useCallback((field: string, message: string) => setFields((f) => ({ ...f, [field]: message })), [])
  const setAll = useCallback((next: Record<string, string>) => {
    setFields(next)
    setForm(null)
    const any = Object.keys(next).length > 0
    if (any) setFocusTick((n) => n + 1)
    return any
  }, [])
  return { fields, form, take, clear, set, setAll }
}
