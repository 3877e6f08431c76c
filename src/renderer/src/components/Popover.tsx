// A button that opens a small panel below itself; closes on Escape or a click elsewhere.
import { useEffect, useRef, useState, type JSX, type ReactNode } from 'react'

interface Props {
  label: ReactNode
  className?: string
  align?: 'left' | 'right'
  /** Where the panel opens from; 'up' for bars pinned to the bottom. */
  direction?: 'down' | 'up'
  children: (close: () => void) => ReactNode
}

export function Popover({ label, className = 'btn', align = 'left', direction = 'down', children }: Props): JSX.Element {
  const [open, setOpen] = useState(false)
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false)
    }
    const onKey = (e: KeyboardEvent) => {
      // Inside a dialog, Escape closes the panel only, not the dialog too.
      if (e.key === 'Escape') (e.preventDefault(), setOpen(false))
    }
    document.addEventListener('mousedown', onDown)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('mousedown', onDown)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])
  return (
    <div className="popover-anchor" ref={ref}>
      <button type="button" className={className} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {label}
      </button>
      {open && <div className={`popover popover-${align} popover-${direction}`}>{children(() => setOpen(false))}</div>}
    </div>
  )
}
