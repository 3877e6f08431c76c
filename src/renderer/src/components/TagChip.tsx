import type { JSX } from 'react'
import { Icon } from './Icons'

// The engine's palette (models.TAG_COLORS), repeated here so the renderer bundle does not pull in zod.
const TAG_COLORS = new Set(['slate', 'blue', 'green', 'amber', 'red', 'violet', 'pink', 'teal'])

/** Tag colours are a fixed palette; anything unknown falls back to slate. */
export const tagColor = (color: string): string => (TAG_COLORS.has(color) ? color : 'slate')

export function TagChip({ name, color, onRemove }: { name: string; color: string; onRemove?: () => void }): JSX.Element {
  return (
    <span className={`chip chip-${tagColor(color)}`} title={name}>
      <span className="chip-dot" aria-hidden="true" />
      <span className="chip-text">{name}</span>
      {onRemove && (
        <button type="button" className="chip-remove" aria-label={`Remove tag ${name}`} onClick={onRemove}>
          <Icon name="x" size={12} />
        </button>
      )}
    </span>
  )
}
