// "+ New contact", "+ Add mailbox": the button that makes a new one of what the page or card lists.
import type { JSX } from 'react'
import { Icon } from './Icons'

export function AddButton({ label, onClick, primary }: { label: string; onClick: () => void; primary?: boolean }): JSX.Element {
  return (
    <button type="button" className={primary ? 'btn btn-primary' : 'btn'} onClick={onClick}>
      <Icon name="plus" /> {label}
    </button>
  )
}
