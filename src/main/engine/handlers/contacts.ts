// contacts.*: the people a business talks to (services/contacts.ts; CSV import in services/importContacts.ts).
import type { HandlersFor } from '../context'
import { changeTag, createContact, deleteContacts, getContact, listContacts, timeline, updateContact } from '../services/contacts'
import { importContacts } from '../services/importContacts'
// data rights (issue 18)
import { contactConsent, eraseContact, erasePreview, setContactConsent } from '../services/dataRights'
import { exportContact } from '../services/exportContact'

export const contactHandlers: HandlersFor<'contacts'> = {
  'contacts.list': (ctx, input) => listContacts(ctx, input),
  'contacts.get': (ctx, { id }) => getContact(ctx, id),
  'contacts.timeline': (ctx, input) => timeline(ctx, input),
  'contacts.create': (ctx, input) => createContact(ctx, input),
  'contacts.update': (ctx, input) => updateContact(ctx, input),
  'contacts.delete': (ctx, { ids }) => deleteContacts(ctx, ids),
  'contacts.addTag': (ctx, input) => changeTag(ctx, input, true),
  'contacts.removeTag': (ctx, input) => changeTag(ctx, input, false),
  'contacts.import': (ctx, input) => importContacts(ctx, input),
  // data rights (issue 18): a person's export and erase
  'contacts.export': (ctx, input) => exportContact(ctx, input),
  'contacts.erasePreview': (ctx, { id }) => erasePreview(ctx, id),
  'contacts.erase': (ctx, { id }) => eraseContact(ctx, id),
  'contacts.consent': (ctx, { id }) => contactConsent(ctx, id),
  'contacts.setConsent': (ctx, input) => setContactConsent(ctx, input),
}
