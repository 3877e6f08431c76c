// An attachment's icon, name and one line about it (size, type, state), as the reading pane, the outbox
// detail and the composer list them; the row and its button (save, remove) belong to the caller.
import type { JSX, ReactNode } from 'react'
import { Icon } from './Icons'

interface AttachmentInfoProps {
  filename: string
  contentType: string
  meta: ReactNode
  /** What to show when the name says nothing (the title keeps the real one). */
  name?: string
  /** Still uploading: a spinner in place of the icon. */
  busy?: boolean
}

export function AttachmentInfo({ filename, contentType, meta, name = filename, busy }: AttachmentInfoProps): JSX.Element {
  return (
    <>
      <span className="attachment-icon" aria-hidden="true">
        {busy ? <span className="spinner" /> : <Icon name={contentType.startsWith('image/') ? 'image' : 'file'} size={18} />}
      </span>
      <span className="attachment-main">
        <span className="attachment-name" title={filename}>
          {name}
        </span>
        <span className="attachment-meta">{meta}</span>
      </span>
    </>
  )
}
