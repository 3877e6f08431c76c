// badge.get: the boundary over services/badge.ts.
import type { HandlersFor } from '../context'
import { badge } from '../services/badge'

export const badgeHandlers: HandlersFor<'badge'> = {
  'badge.get': (ctx) => badge(ctx),
}
