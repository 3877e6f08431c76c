import type { CSSProperties, JSX } from 'react'
import { hueFor, initials } from '../lib/format'

/** Initials on a soft colour derived from the name, so a person is recognisable at a glance (the colours
 * are in base.css, light and dark, from --hue). */
export function Avatar({ name, size = 40 }: { name: string; size?: number }): JSX.Element {
  const hue = hueFor(name)
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.38, '--hue': hue } as CSSProperties}
    >
      {initials(name)}
    </span>
  )
}
