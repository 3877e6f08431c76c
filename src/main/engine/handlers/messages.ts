// messages.*: reading, read state, remote images, contact links, replies and triage (services/messages.ts).
import type { HandlersFor } from '../context'
import * as messages from '../services/messages'

export const messagesHandlers: HandlersFor<'messages'> = {
  'messages.get': (ctx, { id }) => messages.getMessage(ctx, id),
  'messages.original': (ctx, { id }) => messages.messageOriginal(ctx, id),
  'messages.markRead': (ctx, input) => messages.markRead(ctx, input),
  'messages.allowRemoteImages': (ctx, { id, scope }) => messages.allowRemoteImages(ctx, id, scope),
  'messages.linkContact': (ctx, { messageId, contactId, linked }) => messages.linkContact(ctx, messageId, contactId, linked),
  'messages.reply': (ctx, input) => messages.reply(ctx, input),
  'messages.move': (ctx, input) => messages.move(ctx, input),
  'messages.flag': (ctx, input) => messages.flag(ctx, input),
}
