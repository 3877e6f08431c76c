// The store functions the sync workers call (see the comment at the end of ../types.ts). Injected by
// createEngine from ../store.ts, so the sync code depends only on this shape.
import type { Ctx } from '../../context'
import type { FlagUpdate, FolderRef, ParsedMessage, PendingFlagOp } from '../types'

export interface StoreApi {
  storeMessages(ctx: Ctx, ref: FolderRef, messages: ParsedMessage[]): { stored: number; duplicates: number }
  applyFlags(ctx: Ctx, ref: FolderRef, updates: FlagUpdate[]): number
  removeMissing(ctx: Ctx, ref: FolderRef, present: number[] | { below: number; present: number[] }): number
  resetFolder(ctx: Ctx, ref: FolderRef): void
  pendingFlagOps(ctx: Ctx, mailboxId: number): PendingFlagOp[]
  ackFlagOps(ctx: Ctx, ids: number[]): void
  /** One bounded step of merging the message index (../ftsMerge.ts); true when it found work. */
  mergeIndexStep(ctx: Ctx): boolean
}
