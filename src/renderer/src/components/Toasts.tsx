import type { JSX } from 'react'
import { useApp } from '../store'
import { Icon } from './Icons'

/** Bottom-right notices; errors stay a little longer and are announced assertively. A toast with an
 * action (Undo) shows a bar that runs out when the action stops being possible. */
export function Toasts(): JSX.Element {
  const toasts = useApp((s) => s.toasts)
  const dismiss = useApp((s) => s.dismiss)
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}${t.action ? ' has-action' : ''}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={t.kind === 'error' ? 'alert' : 'check'} />
          <span>{t.text}</span>
          {t.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                dismiss(t.id)
                t.action?.run()
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            <Icon name="x" size={14} />
          </button>
          {t.action && <span className="toast-timer" aria-hidden="true" style={{ animationDuration: `${t.duration}ms` }} />}
        </div>
      ))}
    </div>
  )
}
