// The boundary: parse input with the contract's zod schema, run the handler, turn every failure into a
// coded error value. Writes run one at a time through a queue so async handlers never interleave.
import { z } from 'zod'
import { contract, isMethod, isTestOnly, isWrite } from '../../shared/contract'
import { AppError, type AppErrorShape, type FieldError, type Result } from '../../shared/result'
import type { Ctx, Handlers } from './context'
import { issuesInWords } from '../../shared/zodWords'

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>

export interface DispatchOptions {
  /**
   * Tests: a read method (no `write` flag) that changes the database fails with INTERNAL naming it. Checked
   * with SQLite's total_changes() around the handler's synchronous run (an async read is checked up to its
   * first await: after that, other writers may run in between).
   */
  assertReadsOnly?: boolean
  /** After a write method succeeded (the team replicator pushes what it queued). */
  afterWrite?: () => void
}

export function createDispatch(ctx: Ctx, handlers: Handlers, log: (msg: string) => void = console.error, opts: DispatchOptions = {}): Dispatch {
  let writeTail: Promise<unknown> = Promise.resolve()
  const serialise = <T>(fn: () => T | Promise<T>): Promise<T> => {
    const run = writeTail.then(fn, fn)
    writeTail = run.catch(() => undefined)
    return run
  }

  const totalChanges = opts.assertReadsOnly ? ctx.sqlite.prepare('SELECT total_changes()').pluck() : null
  /** Runs a read; with assertReadsOnly, throws when its synchronous part changed a row. */
  const read = (method: string, run: () => unknown): unknown => {
    if (!totalChanges) return run()
    const before = totalChanges.get() as number
    const out = run()
    const changed = (totalChanges.get() as number) - before
    if (changed) throw new AppError('INTERNAL', `${method} is a read but changed ${changed} row${changed === 1 ? '' : 's'} of the database`)
    return out
  }

  return async (method, rawInput) => {
    if (!isMethod(method) || (isTestOnly(method) && !ctx.outbound.advanceClock)) return fail({ code: 'VALIDATION', message: `Unknown method ${JSON.stringify(method)}`, field: 'method' })
    const parsed = contract[method].input.safeParse(rawInput ?? undefined)
    if (!parsed.success) return fail(fromZod(parsed.error))
    const handler = handlers[method] as (ctx: Ctx, input: unknown) => unknown
    try {
      const write = isWrite(method)
      const value = write ? await serialise(() => handler(ctx, parsed.data)) : await read(method, () => handler(ctx, parsed.data))
      if (write) opts.afterWrite?.()
      return { ok: true, value }
    } catch (err) {
      const error = toAppError(err)
      // Only the method and the error are logged: inputs may carry passwords and keys.
      if (error.code === 'INTERNAL') log(`[engine] ${method} failed: ${err instanceof Error ? err.stack : String(err)}`)
      return fail(error)
    }
  }
}

const fail = (error: AppErrorShape): Result<never> => ({ ok: false, error })

/**
 * Refused input: every invalid field in words (`fields`), the first issue as `message`/`field` for callers
 * that show one error. Never zod's own wording (zodWords.ts).
 */
/** More invalid fields than a form could show are not listed (the first ones are). */
const MAX_FIELDS = 50

export function fromZod(error: z.ZodError): AppErrorShape {
  const all = issuesInWords(error, MAX_FIELDS * 4)
  const first = all[0]
  // One entry per field (its first issue): a form shows one message under each input. Capped, so a
  // hostile list of a million bad ids costs one pass and a short answer.
  const seen = new Set<string>()
  const fields: FieldError[] = []
  for (const f of all) {
    if (f.field === '' || seen.has(f.field)) continue
    seen.add(f.field)
    if (fields.push(f) >= MAX_FIELDS) break
  }
  return {
    code: 'VALIDATION',
    message: first?.message ?? 'The input was not valid',
    ...(first?.field ? { field: first.field } : {}),
    // Only when there are several: a single-field error keeps its old shape exactly.
    ...(fields.length > 1 ? { fields } : {}),
  }
}

export function toAppError(err: unknown): AppErrorShape {
  if (err instanceof AppError) return err.toJSON()
  if (err instanceof z.ZodError) return fromZod(err)
  const code = (err as { code?: unknown })?.code
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      return { code: 'CONFLICT', message: 'That already exists' }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return { code: 'CONFLICT', message: 'It is still in use, or refers to something that does not exist' }
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return { code: 'UNAVAILABLE', message: 'The database is busy, try again' }
  }
  return { code: 'INTERNAL', message: 'Something went wrong inside Switchboard. The error has been logged.' }
}
