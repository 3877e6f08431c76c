// The <option>s of a "which business" select: the empty choice's words, then every business by name.
import type { JSX } from 'react'
import { useApp } from '../store'

export function BusinessOptions({ empty }: { empty: string }): JSX.Element {
  const objects = useApp((s) => s.objects)
  return (
    <>
      <option value="">{empty}</option>
      {objects?.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </>
  )
}
