// The form every screen uses: the app checks its own fields (noValidate, so the browser shows no bubbles
// of its own) and Enter or the submit button runs onSubmit in place of a page load.
import type { ComponentProps, JSX } from 'react'
import { Icon } from './Icons'

type FormProps = Omit<ComponentProps<'form'>, 'onSubmit' | 'noValidate'> & { onSubmit: () => unknown }

export function Form({ onSubmit, children, ...rest }: FormProps): JSX.Element {
  return (
    <form
      {...rest}
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void onSubmit()
      }}
    >
      {children}
    </form>
  )
}

/** An editor's primary button: saves, says so while it does, and names what it will do otherwise. */
export function SaveButton({ saving, onSave, label, disabled }: { saving: boolean; onSave: () => unknown; label: string; disabled?: boolean }): JSX.Element {
  return (
    <button type="button" className="btn btn-primary" onClick={() => void onSave()} disabled={saving || disabled}>
      <Icon name="check" /> {saving ? 'Saving…' : label}
    </button>
  )
}
