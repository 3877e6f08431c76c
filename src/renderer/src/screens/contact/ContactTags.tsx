import { type JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { TagChip } from '../../components/TagChip'
import { resolveTag, TagPicker, type TagChoice } from '../../components/TagPicker'
import { rpc } from '../../rpc'
import { toastError } from '../../store'
import { Card } from '../../components/Card'

/** Tags of one contact. Changes apply at once (they are not part of "Save changes"). */
export function ContactTags({ contact, onChanged }: { contact: Contact; onChanged: () => void }): JSX.Element {
  const add = async (choice: TagChoice) => {
    try {
      const tag = await resolveTag(choice)
      await rpc('contacts.addTag', { contactIds: [contact.id], tagId: tag.id })
      onChanged()
    } catch (err) {
      toastError(err)
    }
  }
  const remove = async (tagId: number) => {
    try {
      await rpc('contacts.removeTag', { contactIds: [contact.id], tagId })
      onChanged()
    } catch (err) {
      toastError(err)
    }
  }
  return (
    <Card id="c-tags" title="Tags">
      <div className="card-body">
        <div className="chip-list" aria-label="Tags of this contact">
          {contact.tags.length === 0 && <span className="card-empty">No tags yet.</span>}
          {contact.tags.map((t) => (
            <TagChip key={t.id} name={t.name} color={t.color} onRemove={() => void remove(t.id)} />
          ))}
        </div>
        <div className="tag-add">
          <TagPicker label="Add tag" exclude={contact.tags.map((t) => t.id)} onPick={(c) => void add(c)} placeholder="Add a tag…" collapsible />
        </div>
      </div>
    </Card>
  )
}
