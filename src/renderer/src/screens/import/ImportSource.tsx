// Step 1: a CSV file (picked or dropped) or CSV text pasted from a spreadsheet.
import { useId, useState, type DragEvent, type JSX } from 'react'
import { FormError, TextAreaField } from '../../components/Field'
import { Icon } from '../../components/Icons'
import type { CsvFile } from './ImportScreen'
import { Form } from '../../components/Form'

export function ImportSource({ onLoaded }: { onLoaded: (file: CsvFile) => void }): JSX.Element {
  const [pasted, setPasted] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [dragging, setDragging] = useState(false)
  const inputId = useId()

  const read = (file: File | undefined) => {
    if (!file) return
    setError(null)
    const reader = new FileReader()
    reader.onload = () => {
      const text = String(reader.result ?? '')
      if (text.trim() === '') setError(`${file.name} is empty`)
      else onLoaded({ name: file.name, text })
    }
    reader.onerror = () => setError(`Could not read ${file.name}`)
    reader.readAsText(file)
  }
  const drop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    read(e.dataTransfer.files[0])
  }

  return (
    <div className="import-source">
      <div
        className={`dropzone${dragging ? ' is-dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <span className="empty-icon">
          <Icon name="file" size={22} />
        </span>
        <h2>Drop a CSV file here</h2>
        <p>Exported from Excel, Google Sheets, Mailchimp, HubSpot or any other tool. The first row must name the columns.</p>
        <label htmlFor={inputId} className="btn btn-primary">
          Choose CSV file
        </label>
        <input id={inputId} type="file" accept=".csv,.tsv,.txt,text/csv" className="visually-hidden" onChange={(e) => read(e.target.files?.[0])} />
      </div>
      <div className="or-divider">
        <span>or paste it</span>
      </div>
      <Form
        className="card card-body paste-card"
        onSubmit={() => {
          if (pasted.trim() === '') setError('Paste some CSV text first')
          else onLoaded({ name: 'Pasted text', text: pasted })
        }}
      >
        <TextAreaField label="CSV text" value={pasted} onChange={setPasted} rows={6} placeholder={'email,first name,last name,company\nava@example.com,Ava,Nguyen,Glow Studio'} className="mono" />
        <FormError message={error} />
        <div className="card-actions">
          <button type="submit" className="btn btn-primary" disabled={pasted.trim() === ''}>
            Preview
          </button>
        </div>
      </Form>
    </div>
  )
}
