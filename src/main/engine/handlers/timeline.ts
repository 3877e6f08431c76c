// timeline.*: the contact page's one story and its header facts (issue 19). Boundary only.
import type { HandlersFor } from '../context'
import { contactSummary, listTimeline } from '../services/timeline'

export const timelineHandlers: HandlersFor<'timeline'> = {
  'timeline.list': (ctx, input) => listTimeline(ctx, input),
  'timeline.summary': (ctx, { contactId }) => contactSummary(ctx, contactId),
}
