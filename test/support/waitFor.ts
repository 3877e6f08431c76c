// The one polling helper of the tests: wait for a condition the system reaches by itself (a sync, a
// delivery, a restart), never a fixed sleep and never an assertion on elapsed time.

export interface WaitForOptions {
  timeoutMs?: number
  intervalMs?: number
  /** included in the timeout error */
  message?: string
}

/**
 * Calls fn until it returns a truthy value (which is returned) or the time is up. A throw counts
 * as "not yet" (so `expect` inside fn works); on timeout the last error is rethrown.
 */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<Truthy<T>> {
  const { timeoutMs = 10_000, intervalMs = 100 } = opts
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as Truthy<T>
      lastError = undefined
    } catch (e) {
      lastError = e
    }
    if (Date.now() >= deadline) break
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())))
  }
  if (lastError instanceof Error) {
    lastError.message = `waitFor timed out after ${timeoutMs} ms${opts.message ? ` (${opts.message})` : ''}: ${lastError.message}`
    throw lastError
  }
  throw new Error(`waitFor timed out after ${timeoutMs} ms${opts.message ? `: ${opts.message}` : ''}`)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
