// Import: pick or paste a CSV → check the column mapping on a preview → import → see what happened.
import { useState, type JSX } from 'react'
import type { ImportResult as Result } from '../../../../shared/models'
import { Icon } from '../../components/Icons'
import { PageHeader } from '../../components/PageHeader'
import { ImportPreview } from './ImportPreview'
import { ImportResult } from './ImportResult'
import { ImportSource } from './ImportSource'

export interface CsvFile {
  name: string
  text: string
}

type Stage = { name: 'source' } | { name: 'preview'; file: CsvFile } | { name: 'result'; file: CsvFile; result: Result }

export function ImportScreen(): JSX.Element {
  const [stage, setStage] = useState<Stage>({ name: 'source' })
  return (
    <div className="page">
      <PageHeader
        title="Import contacts"
        subtitle="Bring customers in from a spreadsheet. Rows with an email that already exists update that contact."
      />
      <ol className="import-steps" aria-label="Import steps">
        {['Choose a file', 'Map columns', 'Done'].map((label, i) => {
          const current = ['source', 'preview', 'result'].indexOf(stage.name)
          return (
            <li key={label} className={i < current ? 'is-done' : i === current ? 'is-current' : undefined} aria-current={i === current ? 'step' : undefined}>
              <span className="stepper-num">{i < current ? <Icon name="check" size={12} /> : i + 1}</span>
              {label}
            </li>
          )
        })}
      </ol>
      <div className="page-body">
        {stage.name === 'source' && <ImportSource onLoaded={(file) => setStage({ name: 'preview', file })} />}
        {stage.name === 'preview' && (
          <ImportPreview file={stage.file} onBack={() => setStage({ name: 'source' })} onImported={(result) => setStage({ name: 'result', file: stage.file, result })} />
        )}
        {stage.name === 'result' && <ImportResult file={stage.file} result={stage.result} onAgain={() => setStage({ name: 'source' })} />}
      </div>
    </div>
  )
}
