// communications.*: one message over the best channel with fallback (services/communications.ts).
import type { HandlersFor } from '../context'
import { getCommunication, listCommunications, preferenceOf, sendCommunication, setPreference, setQuietHours } from '../services/communications'

export const communicationsHandlers: HandlersFor<'communications'> = {
  'communications.send': (ctx, input) => sendCommunication(ctx, input),
  'communications.get': (ctx, { id }) => getCommunication(ctx, id),
  'communications.list': (ctx, input) => listCommunications(ctx, input),
  'communications.setQuietHours': (ctx, input) => setQuietHours(ctx, input),
  'communications.preference': (ctx, { contactId }) => preferenceOf(ctx, contactId),
  'communications.setPreference': (ctx, input) => setPreference(ctx, input),
}
