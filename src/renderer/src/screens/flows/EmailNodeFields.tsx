// A send-email step: subject and message in the app's rich editor with template variables, the sender
// (the business's default profile or a chosen one), an optional sending window, and a live preview for a
// real contact through templates.preview, as the sequence and autoresponder editors do.
import { useState, type JSX } from 'react'
import type { SendWindow } from '../../../../shared/automation'
import { RichEditor } from '../../components/RichEditor'
import { VARIABLES } from '../../lib/automation'
import { useQuery } from '../../lib/useQuery'
import { TemplatePreview, type PreviewError } from '../automation/TemplatePreview'
import { MailboxPicker, WindowPicker } from '../sequences/SendingFields'
import { UseTemplate, withTemplate } from '../templates/InsertTemplate'
import type { Config } from './flowGraph'
import { Row } from './PanelRow'

const DEFAULT_WINDOW: SendWindow = { days: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 }

export function EmailNodeFields({ nodeId, config, objectId, set, patch }: { nodeId: string; config: Config; objectId: number; set: (field: string, value: unknown) => void; patch: (p: Config, field: string) => void }): JSX.Element {
  const profiles = useQuery('profiles.list', { objectId }, { events: ['objects.changed'], delayMs: 1000 })
  const mailboxes = useQuery('mailboxes.list', { objectId }, { events: ['objects.changed'], delayMs: 1000 })
  // Rotation (as sequences do): each lead keeps the first mailbox it was sent from.
  const rotating = Array.isArray(config.mailboxIds)
  const chooseSender = (v: string) =>
    v === 'rotate'
      ? patch({ profileId: undefined, mailboxIds: (mailboxes.data ?? []).map((m) => m.id) }, 'mailboxIds')
      : patch({ profileId: v ? Number(v) : undefined, mailboxIds: undefined }, 'profileId')
  const [previewError, setPreviewError] = useState<PreviewError | null>(null)
  const subject = typeof config.subject === 'string' ? config.subject : ''
  const html = typeof config.html === 'string' ? config.html : ''
  const window = config.window as SendWindow | undefined
  return (
    <>
      <div className="flow-use-template">
        <UseTemplate objectId={objectId} label={`Use a template for ${nodeId}`} onUse={(t) => patch(((w) => ({ subject: w.subject, html: w.body }))(withTemplate({ subject, body: html }, t)), 'html')} />
        <span className="muted">Start from a saved template</span>
      </div>
      <Row label="Subject">
        <input className="input" value={subject} placeholder="Offer for {{contact.first_name}}" aria-invalid={previewError?.field === 'subject' || undefined} onChange={(e) => set('subject', e.target.value)} />
      </Row>
      {previewError?.field === 'subject' && <p className="field-error">{previewError.message}</p>}
      <div className="flow-field">
        <span className="label-text" id={`${nodeId}-msg`}>
          Message
        </span>
        <RichEditor key={nodeId} label="Message" className="flow-editor-text" value={html} variables={VARIABLES} placeholder="Hi {{contact.first_name}}, …" invalid={previewError?.field === 'html'} onChange={(v) => set('html', v)} />
        {previewError?.field === 'html' && <p className="field-error">{previewError.message}</p>}
      </div>
      <Row label="Send from" hint={rotating ? 'Each lead keeps the mailbox it was first sent from.' : 'The business’s first active sender unless you choose one.'}>
        <select className="input select" value={rotating ? 'rotate' : typeof config.profileId === 'number' ? config.profileId : ''} onChange={(e) => chooseSender(e.target.value)}>
          <option value="">The business’s sender</option>
          {(mailboxes.data?.length ?? 0) > 1 && <option value="rotate">Rotate across mailboxes</option>}
          {profiles.data?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName ? `${p.displayName} <${p.email}>` : p.email}
            </option>
          ))}
        </select>
      </Row>
      {rotating && <MailboxPicker mailboxes={mailboxes.data} objectId={String(objectId)} value={config.mailboxIds as number[]} onChange={(ids) => set('mailboxIds', ids)} />}
      <WindowPicker on={!!window} window={window ?? DEFAULT_WINDOW} onToggle={(on) => set('window', on ? DEFAULT_WINDOW : undefined)} onChange={(w) => set('window', w)} errors={{}} />
      <TemplatePreview label={`Step ${nodeId}`} subject={subject} html={html} objectId={objectId} onError={setPreviewError} />
    </>
  )
}
