// bulk.*: bulk send jobs (services/bulk.ts); mail.sendMany starts one.
import type { HandlersFor } from '../context'
import { getBulkJob, listBulkJobs, previewBulk } from '../services/bulk'

export const bulkHandlers: HandlersFor<'bulk'> = {
  'bulk.preview': (ctx, input) => previewBulk(ctx, input),
  'bulk.list': (ctx, input) => listBulkJobs(ctx, input),
  'bulk.get': (ctx, input) => getBulkJob(ctx, input.id),
}
