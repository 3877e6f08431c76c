// Outside WhatsApp's 24-hour window only an approved template can go: the business's templates from Twilio's
// Content API (texts.templates), picked by name with their words shown; picking fills the ContentSid and the
// placeholders' sample values, which stay editable. Templates WhatsApp has not approved are listed but cannot be
// picked, with their status (and a rejection's reason). When Twilio cannot be asked, a ContentSid can still be typed.
import type { JSX } from 'react'
import type { WhatsappTemplate } from '../../../../shared/channels'
import { useQuery } from '../../lib/useQuery'
import '../../styles/textSteps.css'

/** A template's approval in words. */
function approvalWords(t: WhatsappTemplate): string {
  if (t.approval === 'rejected') return t.rejectionReason ? `rejected: ${t.rejectionReason}` : 'rejected'
  if (t.approval === 'pending' || t.approval === 'received') return 'waiting for approval'
  if (t.approval === 'unsubmitted') return 'not submitted for approval'
  if (t.approval === 'unknown') return 'approval could not be read'
  return t.approval
}

export function TemplatePicker({ objectId, value, disabled, onPick }: { objectId: number; value: string; disabled: boolean; onPick: (t: WhatsappTemplate) => void }): JSX.Element {
  const list = useQuery('texts.templates', { objectId }, { events: ['objects.changed'], keepPrevious: false })
  const items = list.data ?? []
  const approved = items.filter((t) => t.approval === 'approved')
  const others = items.filter((t) => t.approval !== 'approved')
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
        <option value="">
          {list.data === undefined ? 'Loading templates…' : approved.length ? `Choose one of ${approved.length} approved ${approved.length === 1 ? 'template' : 'templates'}` : 'No template is approved by WhatsApp yet'}
        </option>
        {approved.map((t) => (
          <option key={t.contentSid} value={t.contentSid}>
            {t.name}
            {t.language ? ` (${t.language})` : ''}
          </option>
        ))}
        {others.length > 0 && (
          <optgroup label="Not approved by WhatsApp">
            {others.map((t) => (
              <option key={t.contentSid} value={t.contentSid} disabled>
                {t.name} — {approvalWords(t)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {chosen && <p className="template-pick-body">{chosen.body || 'This template has no text part.'}</p>}
      {chosen && chosen.approval !== 'approved' && <p className="field-hint template-pick-note">WhatsApp has not approved “{chosen.name}” ({approvalWords(chosen)}): it cannot be sent outside the 24-hour window.</p>}
      {list.data && !approved.length && others.length > 0 && (
        <p className="field-hint template-pick-note">Submit a template for WhatsApp approval in Twilio’s Content Template Builder; approval usually takes minutes to a day.</p>
      )}
    </div>
  )
}
