// Outside WhatsApp's 24-hour window only an approved template can go: the business's templates from Twilio's
// Content API (texts.templates), picked by name with their words shown; picking fills the ContentSid and the
// placeholders' sample values, which stay editable. When Twilio cannot be asked, a ContentSid can still be typed.
import type { JSX } from 'react'
import type { WhatsappTemplate } from '../../../../shared/channels'
import { useQuery } from '../../lib/useQuery'
import '../../styles/textSteps.css'

export function TemplatePicker({ objectId, value, disabled, onPick }: { objectId: number; value: string; disabled: boolean; onPick: (t: WhatsappTemplate) => void }): JSX.Element {
  const list = useQuery('texts.templates', { objectId }, { events: ['objects.changed'], keepPrevious: false })
  const items = list.data ?? []
  const chosen = items.find((t) => t.contentSid === value)
  if (list.error) return <p className="field-hint template-pick-note">{list.error} Type the template’s ContentSid below.</p>
  if (list.data && items.length === 0) return <p className="field-hint template-pick-note">This Twilio account has no templates yet: create one in Twilio’s Content Template Builder, or type a ContentSid below.</p>
  return (
    <div className="template-pick">
      <label className="label-text" htmlFor={`tpl-pick-${objectId}`}>
        Template
      </label>
      <select
        id={`tpl-pick-${objectId}`}
        className="input select"
        value={chosen ? chosen.contentSid : ''}
        disabled={disabled || list.data === undefined}
        onChange={(e) => {
          const t = items.find((x) => x.contentSid === e.target.value)
          if (t) onPick(t)
        }}
      >
        <option value="">{list.data === undefined ? 'Loading templates…' : `Choose one of ${items.length} templates`}</option>
        {items.map((t) => (
          <option key={t.contentSid} value={t.contentSid}>
            {t.name}
            {t.language ? ` (${t.language})` : ''}
          </option>
        ))}
      </select>
      {chosen && <p className="template-pick-body">{chosen.body || 'This template has no text part.'}</p>}
    </div>
  )
}
