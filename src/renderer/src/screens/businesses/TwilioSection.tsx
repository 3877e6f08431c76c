// Twilio settings of a business (issue 17): account SID, auth token (never shown again), the SMS sender (a
// number or a Messaging Service) and an optional WhatsApp sender. Test asks Twilio's account endpoint and
// says the answer in words; removing asks first.
import { useState, type JSX } from 'react'
import type { TwilioTestResult } from '../../../../shared/channels'
import type { BizObject } from '../../../../shared/models'
import { formatPhone, toE164 } from '../../../../shared/phones'
import { useConfirm } from '../../components/ConfirmDialog'
import { FormError, TextField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { Segmented } from '../../components/Segmented'
import { useFormAction } from '../../lib/useAction'
import { sentence } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError, toastOk } from '../../store'
import '../../styles/channels.css'
import { Form } from '../../components/Form'
import { Card, ConnectionActions } from '../../components/Card'

interface Draft {
  accountSid: string
  authToken: string
  senderKind: 'number' | 'service'
  smsFrom: string
  messagingServiceSid: string
  whatsappFrom: string
  apiBaseUrl: string
}

const FIELDS = ['accountSid', 'authToken', 'smsFrom', 'messagingServiceSid', 'whatsappFrom', 'apiBaseUrl']

export function TwilioSection({ object }: { object: BizObject }): JSX.Element {
  const settings = useQuery('twilio.get', { objectId: object.id }, { events: ['objects.changed'], keepPrevious: false })
  const tw = settings.data
  const [draft, setDraft] = useState<Draft | null>(null)
  const removing = useConfirm(() => ({
    title: 'Remove Twilio from this business?',
    message: 'The account SID, the sealed auth token and the senders are removed. Texts already sent stay in the timeline and the inbox.',
    confirmLabel: 'Remove Twilio',
    onConfirm: async () => {
      try {
        await rpc('twilio.remove', { objectId: object.id })
        toastOk('Twilio removed')
        settings.reload()
      } catch (err) {
        toastError(err)
      }
    },
  }))
  const [tested, setTested] = useState<TwilioTestResult | null>(null)
  const { busy, errors, run } = useFormAction((f) => FIELDS.includes(f), { stays: true })

  const startEdit = () => {
    setDraft({
      accountSid: tw?.accountSid ?? '',
      authToken: '',
      senderKind: tw?.messagingServiceSid ? 'service' : 'number',
      smsFrom: tw?.smsFrom ? formatPhone(tw.smsFrom) : '',
      messagingServiceSid: tw?.messagingServiceSid ?? '',
      whatsappFrom: tw?.whatsappFrom ? formatPhone(tw.whatsappFrom) : '',
      apiBaseUrl: tw?.apiBaseUrl ?? '',
    })
    setTested(null)
    errors.clear()
  }
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d))
    setTested(null)
  }
  /** Sender numbers in any common form, read by the business's country into the E.164 Twilio wants. */
  const number = (raw: string, field: string, problems: Record<string, string>): string | null => {
    if (!raw.trim()) return null
    const r = toE164(raw, object.country)
    if (r.ok) return r.e164
    problems[field] = r.message
    return null
  }

  const test = async () => {
    if (!draft) return
    await run(async () => {
      setTested(
        await rpc('twilio.test', {
          objectId: object.id,
          accountSid: draft.accountSid.trim(),
          ...(draft.authToken.trim() ? { authToken: draft.authToken.trim() } : {}),
          apiBaseUrl: draft.apiBaseUrl.trim() || null,
        }),
      )
    })
  }

  const save = async () => {
    if (!draft) return
    errors.clear()
    const problems: Record<string, string> = {}
    const smsFrom = draft.senderKind === 'number' ? number(draft.smsFrom, 'smsFrom', problems) : null
    const whatsappFrom = number(draft.whatsappFrom, 'whatsappFrom', problems)
    if (draft.senderKind === 'number' && !draft.smsFrom.trim()) problems.smsFrom = 'Enter the Twilio number texts are sent from'
    if (draft.senderKind === 'service' && !draft.messagingServiceSid.trim()) problems.messagingServiceSid = 'Enter the Messaging Service SID (MG…)'
    if (!tw?.hasAuthToken && !draft.authToken.trim()) problems.authToken = 'Enter the auth token from the Twilio console'
    if (errors.setAll(problems)) return
    await run(async () => {
      await rpc('twilio.upsert', {
        objectId: object.id,
        accountSid: draft.accountSid.trim(),
        ...(draft.authToken.trim() ? { authToken: draft.authToken.trim() } : {}),
        smsFrom,
        messagingServiceSid: draft.senderKind === 'service' ? draft.messagingServiceSid.trim() : null,
        whatsappFrom,
        apiBaseUrl: draft.apiBaseUrl.trim() || null,
      })
      toastOk('Twilio settings saved')
      setDraft(null)
      settings.reload()
    })
  }

  return (
    <Card
      id="twilio-title"
      title="Text messages (Twilio)"
      help="Send and receive SMS and WhatsApp messages through this business's Twilio account."
      actions={
        !draft && (
          <ConnectionActions
            remove={tw ? { label: 'Remove', onClick: () => removing.ask() } : null}
            edit={{ label: tw ? 'Edit Twilio' : 'Connect Twilio', onClick: startEdit, disabled: settings.loading && !settings.data && !settings.error }}
          />
        )
      }
    >
      {draft ? (
        <Form className="card-body" onSubmit={save}>
          <div className="form-grid">
            <TextField label="Account SID" value={draft.accountSid} onChange={(accountSid) => set({ accountSid })} error={errors.fields.accountSid} placeholder="AC…" autoComplete="off" className="span-2" />
            <TextField
              label={tw?.hasAuthToken ? 'Replace auth token' : 'Auth token'}
              type="password"
              value={draft.authToken}
              onChange={(authToken) => set({ authToken })}
              error={errors.fields.authToken}
              autoComplete="new-password"
              className="span-2"
              hint={tw?.hasAuthToken ? 'Saved and sealed. Leave blank to keep it.' : 'From the Twilio console. It is sealed on this computer and never shown again.'}
            />
            <div className="span-2 twilio-sender">
              <span className="label-text">Texts are sent from</span>
              <Segmented
                label="Texts are sent from"
                value={draft.senderKind}
                onChange={(senderKind: Draft['senderKind']) => set({ senderKind })}
                options={[
                  { value: 'number', label: 'A Twilio number' },
                  { value: 'service', label: 'A Messaging Service' },
                ]}
              />
            </div>
            {draft.senderKind === 'number' ? (
              <TextField label="SMS number" type="tel" value={draft.smsFrom} onChange={(smsFrom) => set({ smsFrom })} error={errors.fields.smsFrom} placeholder="+1 555 555 0100" />
            ) : (
              <TextField label="Messaging Service SID" value={draft.messagingServiceSid} onChange={(messagingServiceSid) => set({ messagingServiceSid })} error={errors.fields.messagingServiceSid} placeholder="MG…" />
            )}
            <TextField
              label="WhatsApp number"
              type="tel"
              optional
              value={draft.whatsappFrom}
              onChange={(whatsappFrom) => set({ whatsappFrom })}
              error={errors.fields.whatsappFrom}
              placeholder="+1 555 555 0100"
              hint="A number approved for WhatsApp in Twilio."
            />
            <details className="span-2 twilio-advanced" open={Boolean(draft.apiBaseUrl)}>
              <summary>Advanced</summary>
              <TextField label="API address" type="url" optional value={draft.apiBaseUrl} onChange={(apiBaseUrl) => set({ apiBaseUrl })} error={errors.fields.apiBaseUrl} placeholder="https://api.twilio.com" hint="Only to reach a test stand-in; blank is Twilio itself." />
            </details>
          </div>
          {tested && (
            <div className={`twilio-test ${tested.ok ? 'is-ok' : 'is-bad'}`} role="status">
              <Icon name={tested.ok ? 'check' : 'alert'} />
              <span>{tested.ok ? `Connected${tested.friendlyName ? ` to ${tested.friendlyName}` : ''}: Twilio accepted the account SID and token.` : sentence(tested.message)}</span>
            </div>
          )}
          <FormError message={errors.form} />
          <div className="card-actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              Cancel
            </button>
            <button type="button" className="btn" disabled={busy || !draft.accountSid.trim()} onClick={() => void test()}>
              Test
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save Twilio settings'}
            </button>
          </div>
        </Form>
      ) : tw ? (
        <dl className="card-body facts">
          <div>
            <dt>Account</dt>
            <dd className="mono-text">{tw.accountSid}</dd>
          </div>
          <div>
            <dt>SMS from</dt>
            <dd>{tw.smsFrom ? formatPhone(tw.smsFrom) : tw.messagingServiceSid ? `Messaging Service ${tw.messagingServiceSid}` : 'Not set'}</dd>
          </div>
          <div>
            <dt>WhatsApp from</dt>
            <dd>{tw.whatsappFrom ? formatPhone(tw.whatsappFrom) : 'Not set'}</dd>
          </div>
          <div>
            <dt>Auth token</dt>
            <dd>{tw.hasAuthToken ? <span className="badge badge-green"><Icon name="key" size={12} /> Token saved</span> : <span className="badge badge-amber">No token</span>}</dd>
          </div>
        </dl>
      ) : settings.error ? (
        <p className="card-body card-empty">{sentence(settings.error)}</p>
      ) : (
        <p className="card-body card-empty">Not connected. Connect a Twilio account to text customers from their contact page and the inbox.</p>
      )}
      {tw?.authError && !draft && (
        <div className="mailbox-notice card-notice" role="alert">
          <Icon name="alert" />
          <div className="mailbox-notice-text">
            <strong>Texting is stopped</strong>
            <span>{sentence(tw.authError)} Texts wait in the outbox and go out once working credentials are saved.</span>
          </div>
          <button type="button" className="btn btn-sm btn-danger" onClick={startEdit}>
            <Icon name="key" size={14} /> Fix credentials
          </button>
        </div>
      )}
      {removing.dialog}
    </Card>
  )
}
