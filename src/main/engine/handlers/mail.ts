// mail.*: sending a composed message (services/mail.ts).
import type { HandlersFor } from '../context'
import { sendMail } from '../services/mail'

export const mailHandlers: HandlersFor<'mail'> = {
  'mail.send': (ctx, input) => sendMail(ctx, input),
}
