// tags.*: the tag list and new tags (services/tags.ts).
import type { HandlersFor } from '../context'
import { createTag, listTags } from '../services/tags'

export const tagHandlers: HandlersFor<'tags'> = {
  'tags.list': (ctx) => listTags(ctx),
  'tags.create': (ctx, { name, color }) => createTag(ctx, name, color),
}
