// The form every screen uses: the app checks its own fields (noValidate, so the browser shows no bubbles
// of its own) and Enter or the submit button runs onSubmit in place of a page load.
import type { ComponentProps, JSX } from 'react'

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
