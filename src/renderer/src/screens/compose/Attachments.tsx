// Files on a message being written (compose, reply, forward): a picker and drag and drop, uploaded once
// (drafts.attach) and then named by id in every autosave. The 25 MB total is refused here, before any
// upload, with the same words the engine would use.
import { useCallback, useRef, useState, type DragEvent, type JSX, type ReactNode } from 'react'
import type { Attachment } from '../../../../shared/inbox'
import { ATTACHMENTS_MAX_BYTES, formatBytes, type AttachmentRef, type OutgoingAttachment } from '../../../../shared/outbound'
import { Icon } from '../../components/Icons'
import { messageOf } from '../../lib/errors'
import { rpc } from '../../rpc'
import { AttachmentInfo } from '../../components/AttachmentInfo'

export interface AttachmentItem {
  /** Stable React key. */
  key: string
  /** mail_attachments id (kind 'file') or the received message's attachment id (kind 'original'). */
  id: number | null
  kind: 'file' | 'original'
  filename: string
  contentType: string
  size: number
  uploading: boolean
}

let seq = 0
const nextKey = () => `att-${++seq}`
export const fromOutgoing = (a: OutgoingAttachment): AttachmentItem => ({ key: nextKey(), id: a.id, kind: 'file', filename: a.filename, contentType: a.contentType, size: a.size, uploading: false })
/** A forward starts with the original's files (inline images stay in the quoted body). */
export const fromOriginal = (a: Attachment): AttachmentItem => ({ key: nextKey(), id: a.id, kind: 'original', filename: a.filename, contentType: a.contentType, size: a.size, uploading: false })

/** What drafts.save, mail.send and messages.reply take: only files whose upload finished. */
export const refsOf = (items: AttachmentItem[]): AttachmentRef[] =>
  items.filter((i) => !i.uploading && i.id !== null).map((i) => (i.kind === 'original' ? { messageAttachmentId: i.id! } : { attachmentId: i.id! }))

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`))
    reader.readAsDataURL(file)
  })
}

export interface Attachments {
  items: AttachmentItem[]
  error: string | null
  busy: boolean
  add(files: FileList | File[]): void
  remove(key: string): void
}

export function useAttachments(initial: AttachmentItem[]): Attachments {
  const [items, setItems] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const current = useRef(items)
  current.current = items

  const add = useCallback((list: FileList | File[]) => {
    const files = [...list]
    if (files.length === 0) return
    const total = current.current.reduce((n, i) => n + i.size, 0) + files.reduce((n, f) => n + f.size, 0)
    if (total > ATTACHMENTS_MAX_BYTES) {
      const what = files.length === 1 ? `${files[0]!.name} (${formatBytes(files[0]!.size)})` : `These ${files.length} files (${formatBytes(files.reduce((n, f) => n + f.size, 0))})`
      setError(`${what} would bring the attachments to ${formatBytes(total)}; a message can carry 25 MB of attachments at most.`)
      return
    }
    setError(null)
    for (const file of files) {
      const item: AttachmentItem = { key: nextKey(), id: null, kind: 'file', filename: file.name, contentType: file.type || 'application/octet-stream', size: file.size, uploading: true }
      setItems((xs) => [...xs, item])
      base64Of(file)
        .then((contentBase64) => rpc('drafts.attach', { filename: file.name || 'attachment', contentType: item.contentType, contentBase64 }))
        .then(
          (up) => setItems((xs) => xs.map((x) => (x.key === item.key ? { ...x, id: up.id, filename: up.filename, size: up.size, uploading: false } : x))),
          (err) => {
            setItems((xs) => xs.filter((x) => x.key !== item.key))
            setError(`${file.name} was not attached: ${messageOf(err)}`)
          },
        )
    }
  }, [])

  const remove = useCallback((key: string) => {
    setItems((xs) => xs.filter((x) => x.key !== key))
    setError(null)
  }, [])

  return { items, error, busy: items.some((i) => i.uploading), add, remove }
}

/** The paperclip button and its hidden file input. */
export function AttachButton({ onFiles, disabled, label = 'Attach files' }: { onFiles: (f: FileList) => void; disabled?: boolean; label?: string }): JSX.Element {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button type="button" className="icon-button" aria-label={label} title={`${label} (up to 25 MB in total)`} disabled={disabled} onClick={() => input.current?.click()}>
        <Icon name="paperclip" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="attach-input"
        onChange={(e) => {
          if (e.target.files) onFiles(e.target.files)
          e.target.value = ''
        }}
      />
    </>
  )
}

/** The files on the message, each removable; uploads show their progress. */
export function AttachmentTray({ att, disabled }: { att: Attachments; disabled?: boolean }): JSX.Element | null {
  if (att.items.length === 0 && !att.error) return null
  const total = att.items.reduce((n, i) => n + i.size, 0)
  return (
    <div className="compose-attachments">
      {att.items.length > 0 && (
        <ul className="compose-attachment-list" aria-label={`Attachments, ${formatBytes(total)} of 25 MB`}>
          {att.items.map((a) => (
            <li key={a.key} className={`attachment compose-attachment${a.uploading ? ' is-uploading' : ''}`}>
              <AttachmentInfo
                filename={a.filename}
                contentType={a.contentType}
                busy={a.uploading}
                meta={a.uploading ? `Attaching… ${formatBytes(a.size)}` : `${formatBytes(a.size)}${a.kind === 'original' ? ' · from the original' : ''}`}
              />
              <button type="button" className="icon-button" aria-label={`Remove ${a.filename}`} title="Remove" disabled={disabled || a.uploading} onClick={() => att.remove(a.key)}>
                <Icon name="x" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {att.error && (
        <p className="field-error compose-attachments-error" role="alert">
          {att.error}
        </p>
      )}
    </div>
  )
}

/** Wraps a compose surface: files dropped anywhere on it are attached. */
export function DropZone({ onFiles, disabled, className, children, ...rest }: { onFiles: (f: FileList) => void; disabled?: boolean; className?: string; children: ReactNode } & Partial<Record<`aria-${string}` | 'onKeyDown' | 'role', unknown>>): JSX.Element {
  const [over, setOver] = useState(false)
  const depth = useRef(0)
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files')
  return (
    <div
      {...(rest as object)}
      className={`drop-zone${over ? ' is-dragging' : ''}${className ? ` ${className}` : ''}`}
      onDragEnter={(e) => {
        if (disabled || !hasFiles(e)) return
        e.preventDefault()
        depth.current++
        setOver(true)
      }}
      onDragOver={(e) => {
        if (disabled || !hasFiles(e)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      }}
      onDrop={(e) => {
        if (disabled || !hasFiles(e)) return
        e.preventDefault()
        depth.current = 0
        setOver(false)
        onFiles(e.dataTransfer.files)
      }}
    >
      {children}
      {over && (
        <div className="drop-overlay" aria-hidden="true">
          <Icon name="paperclip" size={22} /> Drop files to attach
        </div>
      )}
    </div>
  )
}
