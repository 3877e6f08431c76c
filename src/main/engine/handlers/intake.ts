// intake.*: web-form intake rules and their preview (services/intake.ts); receiving through Mailgun (services/intakeMailgun.ts).
import type { HandlersFor } from '../context'
import { createRule, deleteRule, listRules, previewRule, samples, updateRule } from '../services/intake'
import { disableInbound, enableInbound, inboundStatus } from '../services/intakeMailgun'

export const intakeHandlers: HandlersFor<'intake'> = {
  'intake.rules.list': (ctx, { objectId }) => listRules(ctx, objectId),
  'intake.rules.create': (ctx, input) => createRule(ctx, input),
  'intake.rules.update': (ctx, input) => updateRule(ctx, input),
  'intake.rules.delete': (ctx, { id }) => deleteRule(ctx, id),
  'intake.rules.preview': (ctx, input) => previewRule(ctx, input),
  'intake.samples': (ctx, input) => samples(ctx, input),
  'intake.mailgun.get': (ctx, { objectId }) => inboundStatus(ctx, objectId),
  'intake.mailgun.enable': (ctx, input) => enableInbound(ctx, input),
  'intake.mailgun.disable': (ctx, { objectId }) => disableInbound(ctx, objectId),
}
