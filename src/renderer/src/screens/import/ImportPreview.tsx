// Step 2: the file parsed locally (same parser as the engine), a mapping per column, where to import
// and which tags to add, then the import itself.
import { useMemo, useState, type JSX } from 'react'
import { guessMapping, parseCsv } from '../../../../shared/csv'
import type { ImportResult, Tag } from '../../../../shared/models'
import { FormError, SelectField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { TagChip } from '../../components/TagChip'
import { resolveTag, TagPicker } from '../../components/TagPicker'
import { messageOf } from '../../lib/errors'
import { formatCount, plural } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import type { CsvFile } from './ImportScreen'
import { MappingTable } from './MappingTable'
import { targetLabel } from './mapping'

const PREVIEW_ROWS = 10

export function ImportPreview({ file, onBack, onImported }: { file: CsvFile; onBack: () => void; onImported: (r: ImportResult) => void }): JSX.Element {
  const objects = useApp((s) => s.objects) ?? []
  const rows = useMemo(() => parseCsv(file.text), [file.text])
  const headers = rows[0] ?? []
  const body = rows.slice(1)
  const [mapping, setMapping] = useState<Record<string, string>>(() => guessMapping(headers))
  const [objectId, setObjectId] = useState(objects.length === 1 ? String(objects[0].id) : '')
  const [tags, setTags] = useState<Tag[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const targets = Object.values(mapping)
  const hasEmail = targets.includes('email')
  const hasObjectColumn = targets.includes('object')
  const columns = headers.map((h, i) => ({ header: h, index: i })).filter((c) => c.header.trim() !== '')

  const run = async () => {
    setBusy(true)
    setError(null)
    try {
      onImported(await rpc('contacts.import', { csv: file.text, objectId: objectId ? Number(objectId) : null, mapping, tagIds: tags.map((t) => t.id) }))
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }

  if (body.length === 0)
    return (
      <div className="card card-body">
        <FormError message={headers.length ? 'The file has a header row but no contacts.' : 'The file is empty.'} />
        <div className="card-actions">
          <button type="button" className="btn" onClick={onBack}>
            Choose another file
          </button>
        </div>
      </div>
    )

  return (
    <div className="import-preview" aria-busy={busy}>
      <div className="file-banner">
        <Icon name="file" size={18} />
        <span className="file-name">{file.name}</span>
        <span className="muted">
          {plural(body.length, 'row')} · {plural(columns.length, 'column')}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-ghost btn-sm" onClick={onBack} disabled={busy}>
          Choose another file
        </button>
      </div>

      <section className="card" aria-labelledby="map-title">
        <div className="card-header">
          <div>
            <h2 id="map-title">Match your columns</h2>
            <p className="card-help">We guessed from the column names. Unknown columns become custom fields.</p>
          </div>
        </div>
        <MappingTable columns={columns} body={body} mapping={mapping} onChange={(header, target) => setMapping({ ...mapping, [header]: target })} />
        {!hasEmail && (
          <p className="inline-warning" role="alert">
            <Icon name="alert" size={14} /> Choose the column that holds the email address.
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="preview-title">
        <div className="card-header">
          <div>
            <h2 id="preview-title">Preview</h2>
            <p className="card-help">The first {Math.min(PREVIEW_ROWS, body.length)} of {formatCount(body.length)} rows, as they will be imported.</p>
          </div>
        </div>
        <div className="table-scroll">
          <table className="table preview-table">
            <thead>
              <tr>
                <th className="num">Row</th>
                {columns.map((c) => (
                  <th key={c.index} className={mapping[c.header] === 'ignore' ? 'is-ignored' : undefined}>
                    <span className="th-target">{targetLabel(mapping[c.header] ?? 'ignore')}</span>
                    {/* The file's own name for the column, when it says something the target does not. */}
                    {c.header.toLowerCase() !== targetLabel(mapping[c.header] ?? 'ignore').toLowerCase() && <span className="th-source">{c.header}</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.slice(0, PREVIEW_ROWS).map((row, r) => (
                <tr key={r}>
                  <td className="num muted">{r + 2}</td>
                  {columns.map((c) => (
                    <td key={c.index} className={mapping[c.header] === 'ignore' ? 'is-ignored' : undefined}>
                      {row[c.index] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="opt-title">
        <div className="card-header">
          <h2 id="opt-title">Ready to import</h2>
        </div>
        <div className="card-body form-grid">
          <SelectField
            label="Import into business"
            value={objectId}
            onChange={setObjectId}
            options={[{ value: '', label: hasObjectColumn ? 'Use each row’s Business name column' : 'No business' }, ...objects.map((o) => ({ value: String(o.id), label: o.name }))]}
            hint={hasObjectColumn && objectId ? 'Rows with a Business name use that business instead.' : undefined}
          />
          <div className="field">
            <div className="field-label-row">
              <span className="label-text">Tags to add</span>
              <span className="field-optional">Optional</span>
            </div>
            <div className="chip-list chip-list-input">
              {tags.map((t) => (
                <TagChip key={t.id} name={t.name} color={t.color} onRemove={() => setTags(tags.filter((x) => x.id !== t.id))} />
              ))}
              <Popover label={<><Icon name="plus" size={14} /> Add tag</>} className="btn btn-ghost btn-sm">
                {(close) => (
                  <TagPicker
                    label="Tag for imported contacts"
                    autoFocus
                    exclude={tags.map((t) => t.id)}
                    onPick={(choice) => {
                      close()
                      resolveTag(choice).then((tag) => setTags((ts) => [...ts, tag]), toastError)
                    }}
                  />
                )}
              </Popover>
            </div>
          </div>
        </div>
        {error && (
          <div className="card-body card-body-tight">
            <FormError message={error} />
          </div>
        )}
        <div className="card-footer">
          <span className="card-footer-note">{plural(body.length, 'row')} will be added or updated, matched by email.</span>
          <button type="button" className="btn" onClick={onBack} disabled={busy}>
            Back
          </button>
          <button type="button" className="btn btn-primary btn-lg" onClick={() => void run()} disabled={busy || !hasEmail}>
            {busy ? (
              <>
                <span className="spinner spinner-light" aria-hidden="true" /> Importing {plural(body.length, 'row')}…
              </>
            ) : (
              `Import ${plural(body.length, 'row')}`
            )}
          </button>
        </div>
      </section>
    </div>
  )
}
