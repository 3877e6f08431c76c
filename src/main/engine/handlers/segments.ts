// Segments (issue 19): the boundary. Rules, counts and compiling live in services/segments.ts.
import type { HandlersFor } from '../context'
import { createSegment, deleteSegment, listSegments, previewSegment, updateSegment } from '../services/segments'

export const segmentHandlers: HandlersFor<'segments'> = {
  'segments.list': (ctx, { objectId }) => listSegments(ctx, objectId),
  'segments.create': (ctx, input) => {
    const s = createSegment(ctx, input)
    ctx.emit('segments.changed', {})
    return s
  },
  'segments.update': (ctx, input) => {
    const s = updateSegment(ctx, input)
    ctx.emit('segments.changed', {})
    return s
  },
  'segments.delete': (ctx, { id }) => {
    const r = deleteSegment(ctx, id)
    ctx.emit('segments.changed', {})
    return r
  },
  'segments.preview': (ctx, input) => previewSegment(ctx, input),
}
