// Bulk send (issue 18, seed 004): one library template to a tag, a segment or the contacts picked in the grid.
// Before anything is queued the engine counts who will get it and who will be skipped and why (bulk.preview);
// Send queues it all at once under one idempotency key made when the dialog opened, so a second press (or a
// retry after a dropped connection) returns the same job instead of mailing everyone twice.
import { useEffect, useMemo, useState, type JSX } from 'react'
import { SKIP_REASON_WORDS, type BulkPreview, type SkipReason } from '../../../../shared/templates'
import { Dialog, DialogActions } from '../../components/Dialog'
import { NamedOptions } from '../../components/BusinessOptions'
import { Field, FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { formatCount, plural } from '../../lib/format'
import { navigate } from '../../lib/router'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk, useApp } from '../../store'
import '../../styles/templates.css'

type Audience = 'tag' | 'segment' | 'selection'
type Target = { tagId: number } | { segmentId: number } | { ids: number[] }
const idsOf = (t: Target): number[] | null => ('ids' in t ? t.ids : null)

interface Props {
  templateId?: number
  /** The contacts picked in the contacts grid. */
  contactIds?: number[]
  onClose: () => void
}

/** Every contact id of a tag or segment in the business, a page of 500 at a time. */
async function audienceIds(objectId: number, filter: { tagId: number } | { segmentId: number }): Promise<number[]> {
  const ids: number[] = []
  let cursor: string | undefined
  for (let i = 0; i < 200; i++) {
    const page = await rpc('contacts.list', { objectId, ...filter, limit: 500, ...(cursor ? { cursor } : {}) })
    ids.push(...page.items.map((c) => c.id))
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return ids
}

export function BulkSendDialog({ templateId, contactIds, onClose }: Props): JSX.Element {
  const profiles = useQuery('profiles.list', {}, {})
  const templates = useQuery('templates.list', {}, { events: ['templates.changed'] })
  const tags = useApp((s) => s.tags)
  const [profileId, setProfileId] = useState('')
  const [tplId, setTplId] = useState(templateId ? String(templateId) : '')
  const [audience, setAudience] = useState<Audience>(contactIds?.length ? 'selection' : 'tag')
  const [tagId, setTagId] = useState('')
  const [segmentId, setSegmentId] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const [preview, setPreview] = useState<{ key: string; result: BulkPreview | null; error: string | null; loading: boolean }>({ key: '', result: null, error: null, loading: false })
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // One key per dialog: pressing Send twice, or again after a lost answer, is the same send.
  const [idempotencyKey] = useState(() => `bulk-${crypto.randomUUID()}`)

  const template = templates.data?.find((t) => String(t.id) === tplId)
  const activeProfiles = (profiles.data ?? []).filter((p) => p.isActive && (!template || p.objectId === template.objectId))
  const profile = activeProfiles.find((p) => String(p.id) === profileId) ?? activeProfiles[0]
  const objectId = template?.objectId ?? profile?.objectId
  const segments = useQuery('segments.list', { objectId }, { enabled: objectId !== undefined })
  const variables = template?.variables ?? []
  const missingValue = variables.find((v) => !values[v]?.trim())

  const target: Target | null = audience === 'tag' ? (tagId ? { tagId: Number(tagId) } : null) : audience === 'segment' ? (segmentId ? { segmentId: Number(segmentId) } : null) : contactIds?.length ? { ids: contactIds ?? [] } : null
  const key = JSON.stringify([profile?.id, template?.id, target, values])
  const ready = !!profile && !!template && !!target && !missingValue

  useEffect(() => {
    if (!ready || !profile || !template || !target || objectId === undefined) return
    let live = true
    setPreview((p) => ({ ...p, key, loading: true, error: null }))
    const t = setTimeout(async () => {
      try {
        const ids = idsOf(target) ?? (await audienceIds(objectId, target as { tagId: number } | { segmentId: number }))
        if (!ids.length) {
          if (live) setPreview({ key, result: null, error: 'Nobody in this business matches. Pick another tag or segment.', loading: false })
          return
        }
        const result = await rpc('bulk.preview', { profileId: profile.id, templateId: template.id, recipients: ids.map((id) => ({ contactId: id })), sharedVariables: values })
        if (live) setPreview({ key, result, error: null, loading: false })
      } catch (err) {
        if (live) setPreview({ key, result: null, error: messageOf(err), loading: false })
      }
    }, 300)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [key, ready]) // eslint-disable-line react-hooks/exhaustive-deps

  const send = async () => {
    if (!ready || !profile || !template || !target || objectId === undefined || !preview.result?.willQueue) return
    setSending(true)
    setError(null)
    try {
      const ids = idsOf(target) ?? (await audienceIds(objectId, target as { tagId: number } | { segmentId: number }))
      const job = await rpc('mail.sendMany', { profileId: profile.id, templateId: template.id, recipients: ids.map((id) => ({ contactId: id })), sharedVariables: values, idempotencyKey })
      toastOk(`${plural(job.queued, 'message')} queued from “${job.templateName}”`)
      onClose()
      navigate({ name: 'outbox' })
    } catch (err) {
      setError(messageOf(err))
      setSending(false)
    }
  }

  const result = preview.key === key ? preview.result : null
  const skipped = useMemo(() => Object.entries(result?.skipped ?? {}).sort((a, b) => b[1] - a[1]) as Array<[SkipReason, number]>, [result])
  const totalSkipped = skipped.reduce((n, [, c]) => n + c, 0)
  return (
    <Dialog
      title="Bulk send"
      description="One template to many contacts. Unsubscribed, bounced and erased addresses are skipped."
      size="lg"
      onClose={onClose}
      onSubmit={() => void send()}
      footer={
        <DialogActions onCancel={onClose} label={result?.willQueue ? `Send to ${plural(result.willQueue, 'contact')}` : 'Send'} busyLabel="Queuing…" busy={sending || !result?.willQueue || preview.loading} />
      }
    >
      <div className="form-grid bsend-form">
        <Field label="Template">
          {(p) => (
            <select className="input select" {...p} value={tplId} onChange={(e) => setTplId(e.target.value)}>
              <option value="">Pick a template</option>
              {templates.data?.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} (v{t.currentVersion})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" hint={template && !activeProfiles.length ? 'This business has no active sender profile' : undefined}>
          {(p) => (
            <select className="input select" {...p} value={profile ? String(profile.id) : ''} onChange={(e) => setProfileId(e.target.value)} disabled={!activeProfiles.length}>
              {activeProfiles.map((pr) => (
                <option key={pr.id} value={pr.id}>
                  {pr.displayName} &lt;{pr.email}&gt;
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="span-2 bsend-audience">
          <legend>Recipients</legend>
          <div className="bsend-audience-row">
            <label className="radio">
              <input type="radio" name="audience" checked={audience === 'tag'} onChange={() => setAudience('tag')} /> Tag
            </label>
            <label className="radio">
              <input type="radio" name="audience" checked={audience === 'segment'} onChange={() => setAudience('segment')} /> Segment
            </label>
            {!!contactIds?.length && (
              <label className="radio">
                <input type="radio" name="audience" checked={audience === 'selection'} onChange={() => setAudience('selection')} /> {plural(contactIds.length, 'selected contact')}
              </label>
            )}
            {audience === 'tag' && (
              <select className="input select bsend-pick" aria-label="Which tag" value={tagId} onChange={(e) => setTagId(e.target.value)}>
                <option value="">Pick a tag</option>
                {tags?.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({formatCount(t.contactCount)})
                  </option>
                ))}
              </select>
            )}
            {audience === 'segment' && (
              <select className="input select bsend-pick" aria-label="Which segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
                <NamedOptions items={segments.data} empty="Pick a segment" />
              </select>
            )}
          </div>
        </fieldset>
        {variables.map((v) => (
          <Field key={v} label={`Value of ${v}`} hint={`The same {{${v}}} for everyone in this send`}>
            {(p) => <input className="input" {...p} value={values[v] ?? ''} onChange={(e) => setValues((s) => ({ ...s, [v]: e.target.value }))} />}
          </Field>
        ))}
      </div>
      <section className="bsend-summary" aria-label="Who gets it" aria-live="polite">
        {!template || !target ? (
          <p className="bsend-hint">
            <Icon name="user" size={16} /> Pick a template and who it goes to; the counts show here before anything is sent.
          </p>
        ) : missingValue ? (
          <p className="bsend-hint">
            <Icon name="braces" size={16} /> Give {`{{${missingValue}}}`} a value.
          </p>
        ) : preview.error && preview.key === key ? (
          <FormError message={preview.error} />
        ) : !result ? (
          <div className="preview-skeleton bsend-skeleton" aria-busy="true" />
        ) : (
          <>
            <div className="bsend-counts">
              <div className="bsend-count is-go">
                <strong>{formatCount(result.willQueue)}</strong>
                <span>will get it</span>
              </div>
              <div className={`bsend-count${totalSkipped ? ' is-skip' : ''}`}>
                <strong>{formatCount(totalSkipped)}</strong>
                <span>skipped</span>
              </div>
              <div className="bsend-count">
                <strong>v{result.version}</strong>
                <span>of the template</span>
              </div>
            </div>
            {skipped.length > 0 && (
              <ul className="bsend-reasons" aria-label="Skipped, by reason">
                {skipped.map(([reason, n]) => (
                  <li key={reason}>
                    <span>{SKIP_REASON_WORDS[reason] ?? reason}</span>
                    <strong>{formatCount(n)}</strong>
                  </li>
                ))}
              </ul>
            )}
            {result.examples.length > 0 && (
              <details className="bsend-examples">
                <summary>Who is skipped</summary>
                <ul>
                  {result.examples.slice(0, 20).map((e, i) => (
                    <li key={i}>
                      <span className="bsend-example-who">{e.recipient}</span> <span className="bsend-example-why">— {e.reason === 'missing_variable' ? e.detail : SKIP_REASON_WORDS[e.reason]}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </section>
      <FormError message={error} />
    </Dialog>
  )
}
