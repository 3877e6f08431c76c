// To, Cc and Bcc of a message being written (compose, an inline reply): Cc and Bcc show when asked for
// (buttons at the end of To) or when they already hold addresses.
import type { JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { RecipientField } from './RecipientField'

type Line = { value: string[]; onChange: (v: string[]) => void }

interface Props {
  to: Line
  /** `shown` false: a "Cc" (or "Bcc") button beside To brings the line, when `onShow` is given. */
  cc: Line & { shown: boolean; onShow?: () => void }
  bcc: Line & { shown: boolean; onShow?: () => void }
  errorOf: (field: 'to' | 'cc' | 'bcc') => string | undefined
  disabled: boolean
  onPickContact?: (c: Contact) => void
}

export function RecipientFields({ to, cc, bcc, errorOf, disabled, onPickContact }: Props): JSX.Element {
  const offerCc = !cc.shown && cc.onShow
  const offerBcc = !bcc.shown && bcc.onShow
  return (
    <>
      <RecipientField
        label="To"
        value={to.value}
        onChange={to.onChange}
        error={errorOf('to')}
        disabled={disabled}
        onPickContact={onPickContact}
        trailing={
          offerCc || offerBcc ? (
            <span className="compose-cc-toggles">
              {offerCc && (
                <button type="button" className="btn btn-ghost btn-sm compose-cc-toggle" onClick={cc.onShow}>
                  Cc
                </button>
              )}
              {offerBcc && (
                <button type="button" className="btn btn-ghost btn-sm compose-cc-toggle" onClick={bcc.onShow} title="Blind copy: the other recipients do not see these addresses">
                  Bcc
                </button>
              )}
            </span>
          ) : null
        }
      />
      {cc.shown && <RecipientField label="Cc" value={cc.value} onChange={cc.onChange} error={errorOf('cc')} disabled={disabled} />}
      {bcc.shown && <RecipientField label="Bcc" value={bcc.value} onChange={bcc.onChange} error={errorOf('bcc')} disabled={disabled} />}
    </>
  )
}
