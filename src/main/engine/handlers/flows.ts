// flows.*: the boundary of the flow engine (issue 16). Rules in services/flows.ts, queries in repos/flows.ts,
// the running of leads in automation/flowRun.ts.
import type { HandlersFor } from '../context'
import * as flows from '../services/flows'

export const flowHandlers: HandlersFor<'flows'> = {
  'flows.list': (ctx, { objectId }) => flows.listFlows(ctx, objectId),
  'flows.get': (ctx, { id }) => flows.getFlow(ctx, id),
  'flows.create': (ctx, input) => flows.createFlow(ctx, input),
  'flows.update': (ctx, input) => flows.updateFlow(ctx, input),
  'flows.delete': (ctx, { id }) => flows.deleteFlow(ctx, id),
  'flows.activate': (ctx, { id }) => flows.activateFlow(ctx, id),
  'flows.pause': (ctx, { id }) => flows.pauseFlow(ctx, id),
  'flows.resume': (ctx, { id }) => flows.resumeFlow(ctx, id),
  'flows.enroll': (ctx, input) => flows.enrollInFlow(ctx, input),
  'flows.leads': (ctx, input) => flows.listLeads(ctx, input),
  'flows.stats': (ctx, { id }) => flows.flowStats(ctx, id),
  'flows.validate': (ctx, input) => flows.validateFlow(ctx, input),
  'flows.previewText': (ctx, input) => flows.previewText(ctx, input),
}
