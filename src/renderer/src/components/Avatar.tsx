import type { JSX } from 'react'
import { hueFor, initials } from '../lib/format'

/** Initials on a soft colour derived from the name, so a person is recognisable at a glance. */
export function Avatar({ name, size = 40 }: { name: string; size?: number }): JSX.Element {
  const hue = hueFor(name)
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.38, background: `hsl(${hue} 70% 92%)`, color: `hsl(${hue} 45% 32%)` }}
    >
      {initials(name)}
    </span>
  )
}
