// One contact: header with when we last wrote and what is next, editable details, notes, one activity story
// (mail, notes, tasks, automation), custom fields, extra emails, tasks, tags and dates. Field edits are saved
// together with "Save changes"; tags, notes and tasks apply at once.
import { useCallback, useEffect, useState, type JSX } from 'react'
import type { Contact } from '../../../../shared/models'
import { formatPhone } from '../../../../shared/phones'
import { Avatar } from '../../components/Avatar'
import { useConfirm } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { ErrorSummary, FormError } from '../../components/Field'
import { Icon } from '../../components/Icons'
import { BackLink } from '../../components/PageHeader'
import { useUnsavedChanges } from '../../components/UnsavedChanges'
import { useFormErrors } from '../../lib/errors'
import { displayName, formatDate } from '../../lib/format'
import { hrefFor, navigate } from '../../lib/router'
import { onEvent, rpc, RpcError } from '../../rpc'
import { objectName, toastError, toastOk, useApp } from '../../store'
import { openCompose } from '../compose/composeState'
import { STATUS_LABEL } from '../contacts/columns'
import { ContactDetails } from './ContactDetails'
import { draftOf, localErrors, patchOf, sameDraft, type ContactDraft } from './contactDraft'
import { ContactTags } from './ContactTags'
import { useBusinessZone } from './businessZone'
import { ContactNotes } from './ContactNotes'
import { ContactStory } from './ContactStory'
import { ContactSummary } from './ContactSummary'
import { ContactTasks } from './ContactTasks'
import { CustomFieldsEditor, ExtraEmailsEditor } from './CustomFields'
import { ContactPrivacy } from './ContactPrivacy'
import { ContactChannels } from './ContactChannels'
// issue 17: text the contact (SMS / WhatsApp)
import { TextDialog } from '../texts/TextDialog'
import { Form } from '../../components/Form'
import { Card } from '../../components/Card'
// issue 22 item 5: who added and who last changed the contact
import { ContactAuthors } from '../../components/Authors'

export function ContactProfile({ id }: { id: number }): JSX.Element {
  const objects = useApp((s) => s.objects)
  const zone = useBusinessZone()
  const [contact, setContact] = useState<Contact | null>(null)
  const [missing, setMissing] = useState(false)
  const [draft, setDraft] = useState<ContactDraft | null>(null)
  const [saving, setSaving] = useState(false)
  const deleting = useConfirm((c: Contact) => ({
    title: `Delete ${displayName(c)}?`,
    message: 'The contact, their tags and custom fields are removed. This cannot be undone.',
    confirmLabel: 'Delete contact',
    onConfirm: async () => {
      await rpc('contacts.delete', { ids: [id] })
      toastOk(`${displayName(c)} deleted`)
      navigate({ name: 'contacts' })
    },
  }))
  const [texting, setTexting] = useState(false)
  const errors = useFormErrors()
  const dirty = Boolean(contact && draft && !sameDraft(draftOf(contact), draft))

  /** Re-reads the contact; the form follows unless the user has unsaved edits. */
  const refresh = useCallback(
    (resetDraft: boolean) =>
      rpc('contacts.get', { id }).then(
        (c) => {
          setContact((prev) => {
            setDraft((d) => (resetDraft || !d || !prev || sameDraft(draftOf(prev), d) ? draftOf(c) : d))
            return c
          })
        },
        (err) => (err instanceof RpcError && err.code === 'NOT_FOUND' ? setMissing(true) : toastError(err)),
      ),
    [id],
  )

  useEffect(() => {
    void refresh(true)
    return onEvent('contacts.changed', (p) => {
      if (!p.ids || p.ids.includes(id)) void refresh(false)
    })
  }, [id, refresh])

  /** Resolves whether the edits were saved (else every invalid field is marked and the first focused). */
  const save = async (): Promise<boolean> => {
    if (!contact || !draft) return false
    errors.clear()
    if (errors.setAll(localErrors(draft))) return false
    setSaving(true)
    let ok = false
    try {
      const saved = await rpc('contacts.update', patchOf(id, draft))
      setContact(saved)
      setDraft(draftOf(saved))
      toastOk('Contact saved')
      ok = true
    } catch (err) {
      errors.take(err)
    }
    setSaving(false)
    return ok
  }
  const leaving = useUnsavedChanges({
    dirty,
    save,
    discard: () => {
      if (contact) setDraft(draftOf(contact))
      errors.clear()
    },
    what: 'this contact',
  })

  if (missing)
    return (
      <div className="page">
        <EmptyState icon="user" title="This contact no longer exists" actions={<a className="btn" href={hrefFor({ name: 'contacts' })}>Back to contacts</a>}>
          It may have been deleted or merged.
        </EmptyState>
      </div>
    )
  if (!contact || !draft) return <div className="page page-loading" aria-busy="true" />

  const name = displayName(contact)
  const business = objectName(objects, contact.primaryObjectId)
  return (
    <div className="page profile-page">
      <BackLink to={{ name: 'contacts' }}>Contacts</BackLink>
      <header className="profile-header">
        <Avatar name={name} size={56} />
        <div className="profile-heading">
          <h1>{name}</h1>
          <p className="page-subtitle">
            {[contact.email, contact.phone && formatPhone(contact.phone), business].filter(Boolean).join(' · ') || 'No email address'}
            {contact.status !== 'active' && <span className="badge badge-amber">{STATUS_LABEL[contact.status]}</span>}
          </p>
          <ContactAuthors createdBy={contact.createdBy} updatedBy={contact.updatedBy} updatedAt={contact.updatedAt} />
        </div>
        <div className="page-actions">
          {dirty ? (
            <>
              <span className="unsaved-note">Unsaved changes</span>
              <button type="button" className="btn" disabled={saving} onClick={() => (setDraft(draftOf(contact)), errors.clear())}>
                Discard
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-danger-outline" onClick={() => deleting.ask(contact)}>
                <Icon name="trash" /> Delete
              </button>
              <button
                type="button"
                className="btn"
                disabled={!contact.email}
                title={contact.email ? `Write to ${contact.email}` : 'This contact has no email address'}
                onClick={() => contact.email && openCompose({ contact: { id: contact.id, email: contact.email, objectId: contact.primaryObjectId } })}
              >
                <Icon name="mail" /> Email
              </button>
              <button type="button" className="btn" title={contact.phone ? `Text ${formatPhone(contact.phone)} by SMS or WhatsApp` : 'Add a phone number to text this contact'} onClick={() => setTexting(true)}>
                <Icon name="send" /> Text
              </button>
            </>
          )}
          {/* Outside the form in the DOM, tied to it by id, so Enter in any field also saves. */}
          <button type="submit" form="contact-form" className="btn btn-primary" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </header>
      <ContactSummary contactId={id} timeZone={zone} />
      <div className="profile-layout">
        <div className="profile-main">
          <Form id="contact-form" className="profile-form" onSubmit={save}>
            <FormError message={errors.form} />
            <ErrorSummary fields={errors.fields} />
            <Card id="c-details" title="Details">
              <div className="card-body">
                <ContactDetails draft={draft} onChange={setDraft} errors={errors.fields} />
              </div>
            </Card>
          </Form>
          <ContactNotes contactId={id} />
          <ContactStory contactId={id} name={name} timeZone={zone} />
          {/* A second form for the rest of the fields, so Enter in any of them saves too (forms cannot nest). */}
          <Form id="contact-form-more" className="profile-form" onSubmit={save}>
            <Card id="c-fields" title="Custom fields">
              <div className="card-body">
                <CustomFieldsEditor rows={draft.fields} onChange={(fields) => setDraft({ ...draft, fields })} errors={errors.fields} />
              </div>
            </Card>
            <Card id="c-emails" title="Other email addresses">
              <div className="card-body">
                <ExtraEmailsEditor emails={draft.extraEmails} onChange={(extraEmails) => setDraft({ ...draft, extraEmails })} errors={errors.fields} />
              </div>
            </Card>
          </Form>
        </div>
        <aside className="profile-side">
          <ContactTasks contactId={id} timeZone={zone} />
          <ContactTags contact={contact} onChanged={() => void refresh(false)} />
          <ContactChannels contactId={id} />
          <ContactPrivacy contact={contact} name={name} />
          <Card id="c-about" title="Record">
            <dl className="card-body facts facts-stacked">
              <div>
                <dt>Created</dt>
                <dd>{formatDate(contact.createdAt)}</dd>
              </div>
              <div>
                <dt>Last updated</dt>
                <dd>{formatDate(contact.updatedAt)}</dd>
              </div>
            </dl>
          </Card>
        </aside>
      </div>
      {leaving}
      {texting && <TextDialog contact={{ id: contact.id, name, objectId: contact.primaryObjectId, phones: contact.phones }} onClose={() => setTexting(false)} />}
      {deleting.dialog}
    </div>
  )
}
