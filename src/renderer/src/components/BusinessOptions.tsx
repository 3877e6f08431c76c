// The <option>s of a select over named things, and of a "which business" select: the empty choice's words, then every business by name;
// and the labelled "Business" field of the editors and dialogs that belong to one business.
import type { JSX, ReactNode } from 'react'
import { useApp } from '../store'
import { Field } from './Field'

/** The <option>s of a select over named things by id (businesses, tags, segments, sequences, users):
 * the empty choice first, when there is one (disabled where "none" may not be picked again). */
export function NamedOptions({ items, empty, emptyDisabled }: { items: ReadonlyArray<{ id: number; name: string }> | null | undefined; empty?: ReactNode; emptyDisabled?: boolean }): JSX.Element {
  return (
    <>
      {empty !== undefined && (
        <option value="" disabled={emptyDisabled}>
          {empty}
        </option>
      )}
      {items?.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </>
  )
}

export function BusinessOptions({ empty }: { empty: string }): JSX.Element {
  const objects = useApp((s) => s.objects)
  return <NamedOptions items={objects} empty={empty} />
}

interface BusinessFieldProps {
  /** The business's id as the select holds it ('' for the empty choice). */
  value: string
  onChange: (value: string) => void
  /** The empty choice's words ("Choose a business…", "All businesses"). */
  empty: string
  error?: string
  hint?: ReactNode
  /** Once saved, some things stay with their business. */
  disabled?: boolean
}

export function BusinessField({ value, onChange, empty, error, hint, disabled }: BusinessFieldProps): JSX.Element {
  return (
    <Field label="Business" error={error} hint={hint}>
      {(p) => (
        <select className="input select" {...p} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          <BusinessOptions empty={empty} />
        </select>
      )}
    </Field>
  )
}
