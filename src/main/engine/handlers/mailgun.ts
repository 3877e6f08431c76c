// mailgun.*: a business's Mailgun settings (services/mailgun.ts).
import type { HandlersFor } from '../context'
import { removeMailgun, testMailgunSettings, upsertMailgun } from '../services/mailgun'

export const mailgunHandlers: HandlersFor<'mailgun'> = {
  'mailgun.upsert': (ctx, input) => upsertMailgun(ctx, input),
  'mailgun.test': (ctx, input) => testMailgunSettings(ctx, input),
  'mailgun.remove': (ctx, { objectId }) => removeMailgun(ctx, objectId),
}
