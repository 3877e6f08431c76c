// Mailgun settings of a business. The API key never comes back from the engine; we only show whether
// one is saved and let the user replace it.
import { useEffect, useRef, useState, type JSX } from 'react'
import type { BizObject } from '../../../../shared/models'
import { useConfirm } from '../../components/ConfirmDialog'
import { FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { sentence } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import { MailgunFields, testMailgunDraft, type MailgunDraft } from './MailgunFields'
import { focusByLabel, SetupCheckActions, SetupCheckPanel, useTestedSave } from './SetupCheck'
import { Form } from '../../components/Form'
import { Card, ConnectionActions } from '../../components/Card'

export function MailgunSection({ object }: { object: BizObject }): JSX.Element {
  const mg = object.mailgun
  const [editing, setEditing] = useState(false)
  const removing = useConfirm(() => ({
    title: 'Disconnect Mailgun?',
    message: 'The domain and saved API key are removed from this business. Profiles that send through Mailgun must be switched to a mailbox first.',
    confirmLabel: 'Disconnect',
    onConfirm: () => rpc('mailgun.remove', { objectId: object.id }),
    done: 'Mailgun disconnected',
  }))
  const [draft, setDraft] = useState<MailgunDraft>({ sendingDomain: mg?.sendingDomain ?? '', region: mg?.region ?? 'us', apiKey: '' })
  const { busy, setBusy, errors, check, edited, start, passes } = useTestedSave()
  const form = useRef<HTMLFormElement>(null)
  /** "Fix API key" opens the form on the key. */
  const [focusKey, setFocusKey] = useState(false)
  useEffect(() => {
    if (editing && focusKey) focusByLabel(form.current, mg?.hasApiKey ? 'Replace API key' : 'API key')
  }, [editing, focusKey, mg?.hasApiKey])

  const startEdit = (onKey = false) => {
    setDraft({ sendingDomain: mg?.sendingDomain ?? '', region: mg?.region ?? 'us', apiKey: '' })
    errors.clear()
    check.reset()
    setFocusKey(onKey)
    setEditing(true)
  }
  const change = edited<MailgunDraft>(setDraft)
  const save = async (anyway = false) => {
    start()
    try {
      if (!anyway && !(await passes(() => testMailgunDraft(object.id, draft, mg?.apiBaseUrl ?? null)))) return
      // The engine resets an omitted API URL to the default, so a custom one is sent back as it was.
      const keep = { apiBaseUrl: mg?.apiBaseUrl ?? null, ...(draft.apiKey ? { apiKey: draft.apiKey } : {}) }
      await rpc('mailgun.upsert', { objectId: object.id, sendingDomain: draft.sendingDomain, region: draft.region, ...keep })
      toastOk('Mailgun settings saved')
      setEditing(false)
    } catch (err) {
      errors.take(err, (f) => ['sendingDomain', 'apiKey', 'region'].includes(f))
    }
    setBusy(false)
  }

  return (
    <Card
      id="mailgun-title"
      title="Mailgun"
      help="Send newsletters and larger batches through a Mailgun domain."
      actions={
        !editing && <ConnectionActions remove={mg ? { label: 'Disconnect', onClick: () => removing.ask() } : null} edit={{ label: mg ? 'Edit Mailgun' : 'Connect Mailgun', onClick: () => startEdit() }} />
      }
    >
      {editing ? (
        <Form ref={form} className="card-body" onSubmit={save}>
          <MailgunFields draft={draft} onChange={change} errors={errors.fields} hasApiKey={Boolean(mg?.hasApiKey)} />
          <SetupCheckPanel state={check.state} />
          <FormError message={errors.form} />
          <div className="card-actions">
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <SetupCheckActions check={check} busy={busy} label="Save Mailgun settings" onSaveAnyway={() => void save(true)} />
          </div>
        </Form>
      ) : mg ? (
        <dl className="card-body facts">
          <div>
            <dt>Sending domain</dt>
            <dd>{mg.sendingDomain}</dd>
          </div>
          <div>
            <dt>Region</dt>
            <dd>{mg.region === 'eu' ? 'Europe' : 'United States'}</dd>
          </div>
          {mg.apiBaseUrl && (
            <div>
              <dt>API address</dt>
              <dd>{mg.apiBaseUrl}</dd>
            </div>
          )}
          <div>
            <dt>API key</dt>
            <dd>
              {mg.hasApiKey ? (
                <span className="badge badge-green">
                  <Icon name="key" size={12} /> API key saved
                </span>
              ) : (
                <span className="badge badge-amber">No API key</span>
              )}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="card-body card-empty">Not connected. Sender profiles of this business can still send through a mailbox.</p>
      )}
      {mg?.authError && (
        <div className="mailbox-notice card-notice" role="alert">
          <Icon name="alert" />
          <div className="mailbox-notice-text">
            <strong>Sending through Mailgun is stopped</strong>
            <span>{sentence(mg.authError)} Messages wait in the outbox and go out once a working API key is saved.</span>
          </div>
          <button type="button" className="btn btn-sm btn-danger" onClick={() => startEdit(true)}>
            <Icon name="key" size={14} /> Fix API key
          </button>
        </div>
      )}
      {removing.dialog}
    </Card>
  )
}
