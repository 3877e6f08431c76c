// contacts.*: the people a business talks to (services/contacts.ts; CSV import in services/importContacts.ts).
import type { HandlersFor } from '../context'
import { changeTag, createContact, deleteContacts, getContact, listContacts, timeline, updateContact } from '../services/contacts'
import { importContacts } from '../services/importContacts'
import { contactConsent } from '../services/contactPhones'

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
  'contacts.consent': (ctx, { contactId }) => contactConsent(ctx, contactId),
}
