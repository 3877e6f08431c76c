// The pacer the scheduler's claim uses for texts: each business's rate per channel from its Twilio settings.
import type { Ctx } from '../context'
import { stmtPluck } from '../db/stmt'
import { createPacer, type Pacer } from './pacer'

export function textPacer(ctx: Ctx): Pacer {
  return createPacer((objectId, channel) => {
    if (channel !== 'sms' && channel !== 'whatsapp') return null
    const col = channel === 'sms' ? 'sms_per_second' : 'whatsapp_per_second'
    return (stmtPluck(ctx.sqlite, `SELECT ${col} FROM object_twilio_settings WHERE object_id = ?`).get(objectId) as number | undefined) ?? 1
  })
}
