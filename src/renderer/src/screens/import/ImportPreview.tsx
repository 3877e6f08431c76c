// Step 2: the file parsed locally (same parser as the engine), a mapping per column, where to import
// and which tags to add, then the import itself.
import { useMemo, useState, type JSX } from 'react'
import { guessMapping, parseCsv } from '../../../../shared/csv'
import { duplicateEmailRows, duplicateTargets } from '../../../../shared/importChecks'
import type { ImportResult, Tag } from '../../../../shared/models'
import { FormError, SelectField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { TagChip } from '../../components/TagChip'
import { resolveTag, TagPicker } from '../../components/TagPicker'
import { focusFirstInvalid, splitError } from '../../lib/errors'
import { formatCount, plural } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastError, useApp } from '../../store'
import type { CsvFile } from './ImportScreen'
import { MappingTable } from './MappingTable'
import '../../styles/importChecks.css'
import { targetLabel } from './mapping'
import { Card } from '../../components/Card'

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
  const [serverMapErrors, setServerMapErrors] = useState<Record<string, string>>({})

  const targets = Object.values(mapping)
  const hasEmail = targets.includes('email')
  const hasObjectColumn = targets.includes('object')
  const columns = headers.map((h, i) => ({ header: h, index: i })).filter((c) => c.header.trim() !== '')
  // Two columns on one field: each later column says which one already has it; nothing imports until fixed.
  const mapErrors = useMemo(() => {
    const errs: Record<string, string> = { ...serverMapErrors }
    for (const { target, headers: hs } of duplicateTargets(mapping, headers))
      for (const h of hs.slice(1)) errs[h] = `“${hs[0]}” is already imported as ${targetLabel(target)}. Choose another field or Don’t import.`
    return errs
  }, [mapping, headers, serverMapErrors])
  const mappingOk = Object.keys(mapErrors).length === 0
  // Rows that repeat an earlier row's email (in the same business): the import keeps the first only.
  const dupes = useMemo(() => {
    const emailCol = headers.findIndex((h) => mapping[h] === 'email')
    const objectCol = headers.findIndex((h) => mapping[h] === 'object')
    if (emailCol === -1) return new Map<number, number>()
    return duplicateEmailRows(
      body.map((cells, i) => ({ row: i + 2, email: (cells[emailCol] ?? '').trim(), business: (objectCol !== -1 && cells[objectCol]?.trim().toLowerCase()) || objectId })),
    )
  }, [body, headers, mapping, objectId])

  const run = async () => {
    setBusy(true)
    setError(null)
    setServerMapErrors({})
    try {
      onImported(await rpc('contacts.import', { csv: file.text, objectId: objectId ? Number(objectId) : null, mapping, tagIds: tags.map((t) => t.id) }))
    } catch (err) {
      const split = splitError(err, (f) => f.startsWith('mapping.') && headers.includes(f.slice(8)), (f) => f.slice(8))
      setServerMapErrors(split.fields)
      setError(split.form)
      setBusy(false)
      if (Object.keys(split.fields).length) focusFirstInvalid()
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

      <Card id="map-title" title="Match your columns" help="We guessed from the column names. Unknown columns become custom fields." level={2}>
        <MappingTable
          columns={columns}
          body={body}
          mapping={mapping}
          errors={mapErrors}
          onChange={(header, target) => {
            setMapping({ ...mapping, [header]: target })
            setServerMapErrors({})
          }}
        />
        {!mappingOk && (
          <p className="inline-warning" role="alert">
            <Icon name="alert" size={14} /> Each field can come from one column only.
          </p>
        )}
        {!hasEmail && (
          <p className="inline-warning" role="alert">
            <Icon name="alert" size={14} /> Choose the column that holds the email address.
          </p>
        )}
      </Card>

      <Card id="preview-title" title="Preview" help={<>The first {Math.min(PREVIEW_ROWS, body.length)} of {formatCount(body.length)} rows, as they will be imported.</>} level={2}>
        {dupes.size > 0 && <DuplicateRows dupes={dupes} />}
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
                <tr key={r} className={dupes.has(r + 2) ? 'is-duplicate' : undefined} title={dupes.has(r + 2) ? `Same email as row ${dupes.get(r + 2)}: not imported` : undefined}>
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
      </Card>

      <Card id="opt-title" title="Ready to import" level={2}>
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
          <span className="card-footer-note">
            {plural(body.length - dupes.size, 'row')} will be added or updated, matched by email{dupes.size > 0 && `; ${plural(dupes.size, 'repeated row')} will be reported, not imported`}.
          </span>
          <button type="button" className="btn" onClick={onBack} disabled={busy}>
            Back
          </button>
          <button type="button" className="btn btn-primary btn-lg" onClick={() => void run()} disabled={busy || !hasEmail || !mappingOk}>
            {busy ? (
              <>
                <span className="spinner spinner-light" aria-hidden="true" /> Importing {plural(body.length, 'row')}…
              </>
            ) : (
              `Import ${plural(body.length, 'row')}`
            )}
          </button>
        </div>
      </Card>
    </div>
  )
}

/** The rows the import will report instead of merging: each with the earlier row that has its email. */
function DuplicateRows({ dupes }: { dupes: Map<number, number> }): JSX.Element {
  const list = [...dupes].slice(0, 8)
  return (
    <div className="import-dupes card-body card-body-tight" role="status">
      <Icon name="alert" size={14} />
      <span>
        {plural(dupes.size, 'row repeats', 'rows repeat')} an email from an earlier row and will not be imported:{' '}
        {list.map(([row, first]) => `row ${row} (same as row ${first})`).join(', ')}
        {dupes.size > list.length && `, and ${formatCount(dupes.size - list.length)} more`}. Merge them in your file to keep their details.
      </span>
    </div>
  )
}
