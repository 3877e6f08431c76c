// twilio.*: a business's Twilio settings (services/twilio.ts).
import type { HandlersFor } from '../context'
import { getTwilio, removeTwilio, testTwilio, upsertTwilio } from '../services/twilio'

export const twilioHandlers: HandlersFor<'twilio'> = {
  'twilio.get': (ctx, { objectId }) => getTwilio(ctx, objectId),
  'twilio.upsert': (ctx, input) => upsertTwilio(ctx, input),
  'twilio.remove': (ctx, { objectId }) => removeTwilio(ctx, objectId),
  'twilio.test': (ctx, input) => testTwilio(ctx, input),
}
