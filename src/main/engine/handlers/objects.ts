// objects.*: the businesses in this workspace (services/objects.ts). The UI calls them businesses.
import type { HandlersFor } from '../context'
import { createObject, deleteObject, listObjects, updateObject } from '../services/objects'

export const objectHandlers: HandlersFor<'objects'> = {
  'objects.list': (ctx) => listObjects(ctx),
  'objects.create': (ctx, input) => createObject(ctx, input),
  'objects.update': (ctx, input) => updateObject(ctx, input),
  'objects.delete': (ctx, { id }) => deleteObject(ctx, id),
}
