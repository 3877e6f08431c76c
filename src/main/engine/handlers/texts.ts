// texts.*: SMS and WhatsApp conversations and sending (services/texts.ts).
import type { HandlersFor } from '../context'
import { getConversation, listConversations, markRead, pollTexts, sendText, whatsappTemplates, windowOf } from '../services/texts'

export const textsHandlers: HandlersFor<'texts'> = {
  'texts.send': (ctx, input) => sendText(ctx, input),
  'texts.conversations': (ctx, input) => listConversations(ctx, input),
  'texts.conversation': (ctx, input) => getConversation(ctx, input),
  'texts.markRead': (ctx, input) => markRead(ctx, input),
  'texts.window': (ctx, { contactId }) => windowOf(ctx, contactId),
  'texts.poll': (ctx) => pollTexts(ctx),
  'texts.templates': (ctx, { objectId }) => whatsappTemplates(ctx, objectId),
}
