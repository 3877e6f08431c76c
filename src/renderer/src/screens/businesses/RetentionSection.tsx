// "Delete mail older than N months" for one business (issue 18). Off by default; the engine runs it daily and
// deletes only the copies on this computer (the mail server keeps its own). Changes are audited.
import { useEffect, useState, type JSX } from 'react'
import type { BizObject } from '../../../../shared/models'
import { FormError } from '../../components/Field'
import { useFormErrors } from '../../lib/errors'
import { formatDate } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'
import '../../styles/dataRights.css'
import { Form } from '../../components/Form'
import { Card } from '../../components/Card'

export function RetentionSection({ object }: { object: BizObject }): JSX.Element {
  const current = useQuery('retention.get', { objectId: object.id }, { keepPrevious: false })
  const [on, setOn] = useState(false)
  const [months, setMonths] = useState('24')
  const [saving, setSaving] = useState(false)
  const errors = useFormErrors()
  useEffect(() => {
    if (!current.data) return
    setOn(current.data.months !== null)
    if (current.data.months !== null) setMonths(String(current.data.months))
  }, [current.data])
  const dirty = current.data ? (on ? String(current.data.months ?? '') !== months : current.data.months !== null) : false

  const save = async () => {
    errors.clear()
    const n = Number(months)
    if (on && (!Number.isInteger(n) || n < 1 || n > 240)) return void errors.setAll({ months: 'Enter whole months, from 1 to 240' })
    setSaving(true)
    try {
      await rpc('retention.set', { objectId: object.id, months: on ? n : null })
      current.reload()
      toastOk(on ? `Mail older than ${n} months will be deleted daily` : 'Mail is kept until you delete it')
    } catch (err) {
      errors.take(err)
    } finally {
      setSaving(false)
    }
  }
  return (
    <Card id="retention-title" title="Mail retention" help="Delete old mail from this computer once a day. Mail on your mail server is not touched.">
      <Form className="card-body" onSubmit={save}>
        <div className="retention-row">
          <label className="retention-check">
            <input type="checkbox" className="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Delete mail older than
          </label>
          <input
            className="input retention-months"
            type="number"
            min={1}
            max={240}
            aria-label="Months"
            aria-invalid={errors.fields.months ? true : undefined}
            value={months}
            disabled={!on}
            onChange={(e) => setMonths(e.target.value)}
          />
          <span className="retention-unit">months</span>
          <button type="submit" className="btn btn-sm btn-primary" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
        <FormError message={errors.fields.months ?? errors.form} />
        {current.data?.lastRunAt && <p className="card-help">Last run {formatDate(current.data.lastRunAt)}.</p>}
      </Form>
    </Card>
  )
}
