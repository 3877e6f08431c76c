// mail.*: sending a composed message (services/mail.ts) and one template to many (services/bulk.ts).
import type { HandlersFor } from '../context'
import { sendMany } from '../services/bulk'
import { sendMail } from '../services/mail'

export const mailHandlers: HandlersFor<'mail'> = {
  'mail.send': (ctx, input) => sendMail(ctx, input),
  'mail.sendMany': (ctx, input) => sendMany(ctx, input),
}
