// threads.get: one conversation with every message in it.
import type { Ctx } from '../context'
import { getThread as threadWithMessages } from '../repos/threads'

export const getThread = (ctx: Ctx, id: number) => threadWithMessages(ctx, id)
