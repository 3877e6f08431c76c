// A button that opens a small panel beside itself; closes on Escape (focus goes back to the button) or a
// press elsewhere.
import { useCallback, useRef, useState, type JSX, type ReactNode } from 'react'
import { useDismiss } from './useDismiss'

interface Props {
  label: ReactNode
  className?: string
  align?: 'left' | 'right'
  /** Where the panel opens from; 'up' for bars pinned to the bottom. */
  direction?: 'down' | 'up'
  /** Extra class on the panel (its width, for small menus). */
  panelClassName?: string
  children: (close: () => void) => ReactNode
}

export function Popover({ label, className = 'btn', align = 'left', direction = 'down', panelClassName, children }: Props): JSX.Element {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const dismiss = useCallback((how: 'escape' | 'outside') => {
    setOpen(false)
    if (how === 'escape') button.current?.focus()
  }, [])
  useDismiss(ref, open, dismiss)
  return (
    <div className="popover-anchor" ref={ref}>
      <button ref={button} type="button" className={className} aria-expanded={open} aria-haspopup="true" onClick={() => setOpen((o) => !o)}>
        {label}
      </button>
      {open && <div className={`popover popover-${align} popover-${direction}${panelClassName ? ` ${panelClassName}` : ''}`}>{children(() => setOpen(false))}</div>}
    </div>
  )
}
