// Templates (ARCHITECTURE §6): the boundary. Rules in services/templates.ts, rendering in automation/templates.ts.
import type { HandlersFor } from '../context'
import { previewTemplate } from '../services/templates'

export const templatesHandlers: HandlersFor<'templates'> = {
  'templates.preview': (ctx, input) => previewTemplate(ctx, input),
}
