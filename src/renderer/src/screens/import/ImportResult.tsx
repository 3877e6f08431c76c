// Step 3: what the import did, and every row it had to skip with the reason.
import type { JSX } from 'react'
import type { ImportResult as Result } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { formatCount, plural } from '../../lib/format'
import { hrefFor } from '../../lib/router'
import { targetLabel } from './mapping'
import type { CsvFile } from './ImportScreen'

export function ImportResult({ file, result, onAgain }: { file: CsvFile; result: Result; onAgain: () => void }): JSX.Element {
  const skipped = result.skipped
  const clean = result.errors.length === 0
  return (
    <div className="import-result">
      <section className="card result-card">
        <div className={`result-icon${clean ? '' : ' has-errors'}`} aria-hidden="true">
          <Icon name={clean ? 'check' : 'alert'} size={22} />
        </div>
        <h2>{clean ? 'Import complete' : 'Import finished with some problems'}</h2>
        <p className="result-summary" role="status">
          {formatCount(result.imported)} imported, {formatCount(result.updated)} updated
          {skipped > 0 && `, ${plural(skipped, 'row')} skipped`}
        </p>
        <p className="muted">From {file.name}</p>
        <div className="stats">
          <div className="stat">
            <span className="stat-value">{formatCount(result.imported)}</span>
            <span className="stat-label">New contacts</span>
          </div>
          <div className="stat">
            <span className="stat-value">{formatCount(result.updated)}</span>
            <span className="stat-label">Updated</span>
          </div>
          <div className={`stat${skipped ? ' stat-bad' : ''}`}>
            <span className="stat-value">{formatCount(skipped)}</span>
            <span className="stat-label">Skipped</span>
          </div>
        </div>
        <div className="result-actions">
          <button type="button" className="btn" onClick={onAgain}>
            Import another file
          </button>
          <a className="btn btn-primary" href={hrefFor({ name: 'contacts' })}>
            View contacts
          </a>
        </div>
      </section>
      {result.errors.length > 0 && (
        <section className="card" aria-labelledby="errors-title">
          <div className="card-header">
            <div>
              <h2 id="errors-title">Rows that were not imported</h2>
              <p className="card-help">Fix these rows in your spreadsheet and import the file again; rows already imported are updated, not duplicated.</p>
            </div>
          </div>
          <div className="table-scroll">
            <table className="table errors-table" aria-label="Import errors">
              <thead>
                <tr>
                  <th className="num">Row</th>
                  <th>Field</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="num">{e.row > 0 ? e.row : '—'}</td>
                    <td title={e.field}>{e.field === 'csv' ? 'Whole row' : targetLabel(e.field)}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  )
}
