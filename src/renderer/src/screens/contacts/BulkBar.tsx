// Appears while rows are selected: tag, untag or delete them all at once.
import { useState, type JSX } from 'react'
import type { Contact, Tag } from '../../../../shared/models'
import { useConfirm } from '../../components/ConfirmDialog'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { resolveTag, TagPicker, type TagChoice } from '../../components/TagPicker'
import { plural } from '../../lib/format'
import { rpc } from '../../rpc'
import { toastError, toastOk, useApp } from '../../store'
import { BulkSendDialog } from '../templates/BulkSendDialog'

export function BulkBar({ ids, items, onDone }: { ids: number[]; items: Contact[]; onDone: () => void }): JSX.Element {
  const deleting = useConfirm(() => ({
    title: `Delete ${plural(ids.length, 'contact')}?`,
    message: 'They are removed from every business, with their tags and custom fields. This cannot be undone.',
    confirmLabel: `Delete ${plural(ids.length, 'contact')}`,
    onConfirm: async () => {
      const { deleted } = await rpc('contacts.delete', { ids })
      toastOk(`Deleted ${plural(deleted, 'contact')}`)
      onDone()
    },
  }))
  const [sending, setSending] = useState(false)
  const allTags = useApp((s) => s.tags) ?? []
  // Only tags that some selected (loaded) contact actually has are worth offering for removal.
  const selected = new Set(ids)
  const onSelected = new Set(items.filter((c) => selected.has(c.id)).flatMap((c) => c.tags.map((t) => t.id)))
  const removable: Tag[] = allTags.filter((t) => onSelected.has(t.id))

  const addTag = async (choice: TagChoice, close: () => void) => {
    close()
    try {
      const tag = await resolveTag(choice)
      const { changed } = await rpc('contacts.addTag', { contactIds: ids, tagId: tag.id })
      toastOk(`Tagged ${plural(changed, 'contact')} with “${tag.name}”`)
    } catch (err) {
      toastError(err)
    }
  }
  const removeTag = async (choice: TagChoice, close: () => void) => {
    close()
    if (!('tag' in choice)) return
    try {
      const { changed } = await rpc('contacts.removeTag', { contactIds: ids, tagId: choice.tag.id })
      toastOk(`Removed “${choice.tag.name}” from ${plural(changed, 'contact')}`)
    } catch (err) {
      toastError(err)
    }
  }

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
      <span className="bulk-count">{ids.length} selected</span>
      <span className="bulk-divider" aria-hidden="true" />
      <Popover label={<><Icon name="tag" /> Add tag</>} className="btn btn-dark" direction="up">
        {(close) => <TagPicker label="Tag name" autoFocus onPick={(c) => void addTag(c, close)} />}
      </Popover>
      <Popover label={<><Icon name="x" /> Remove tag</>} className="btn btn-dark" direction="up">
        {(close) => <TagPicker label="Tag to remove" only={removable} allowCreate={false} placeholder="Search tags" autoFocus onPick={(c) => void removeTag(c, close)} />}
      </Popover>
      <button type="button" className="btn btn-dark" onClick={() => setSending(true)}>
        <Icon name="send" /> Send template
      </button>
      <button type="button" className="btn btn-dark btn-dark-danger" onClick={() => deleting.ask()}>
        <Icon name="trash" /> Delete
      </button>
      <button type="button" className="icon-button icon-button-dark" aria-label="Clear selection" onClick={onDone}>
        <Icon name="x" />
      </button>
      {sending && <BulkSendDialog contactIds={ids} onClose={() => setSending(false)} />}
      {deleting.dialog}
    </div>
  )
}
