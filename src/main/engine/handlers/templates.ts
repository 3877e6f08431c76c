// Templates (ARCHITECTURE §6, issue 18's library): the boundary. Rules in services/templates.ts, rendering in automation/templates.ts.
import type { HandlersFor } from '../context'
import { createTemplate, deleteTemplate, getTemplate, listTemplates, previewTemplate, renderTemplate, updateTemplate } from '../services/templates'

export const templatesHandlers: HandlersFor<'templates'> = {
  'templates.preview': (ctx, input) => previewTemplate(ctx, input),
  'templates.list': (ctx, input) => listTemplates(ctx, input),
  'templates.get': (ctx, input) => getTemplate(ctx, input.id, input.version),
  'templates.create': (ctx, input) => createTemplate(ctx, input),
  'templates.update': (ctx, input) => updateTemplate(ctx, input),
  'templates.delete': (ctx, input) => deleteTemplate(ctx, input),
  'templates.render': (ctx, input) => renderTemplate(ctx, input),
}
