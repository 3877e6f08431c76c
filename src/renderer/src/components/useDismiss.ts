// Closes a floating panel (popover, menu, suggestion list) on Escape or a press outside it, the way every
// desktop app does. Escape inside a dialog closes only the panel: the key is consumed before the dialog sees
// it (a capture listener, and preventDefault stops the native <dialog>'s cancel).
import { useEffect, type RefObject } from 'react'

export function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, close: (how: 'escape' | 'outside') => void): void {
  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent | MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) close('outside')
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      e.stopPropagation()
      close('escape')
    }
    document.addEventListener('pointerdown', onDown, true)
    document.addEventListener('keydown', onKey, true)
    return () => {
      document.removeEventListener('pointerdown', onDown, true)
      document.removeEventListener('keydown', onKey, true)
    }
  }, [ref, open, close])
}
