// Engine events come in bursts and in streams: a first sync announces `inbox.changed` every few milliseconds for
// as long as it runs. A screen reloads once per burst, but a debounce that restarts its wait on every event never
// fires while a stream lasts, and the inbox stood still until the sync ended. Coalescing instead runs the reload
// `ms` after the first event of a burst; events meanwhile join that run. A stream then reloads every `ms`.

export interface Coalesced {
  /** Asks for a run: at most `ms` from now, shared with every other ask until it happens. */
  call(): void
  /** Drops a run not yet started (the screen is going away). */
  cancel(): void
}

export function coalesce(fn: () => void, ms: number): Coalesced {
  let t: ReturnType<typeof setTimeout> | undefined
  return {
    call: () => {
      if (t !== undefined) return
      t = setTimeout(() => {
        t = undefined
        fn()
      }, ms)
    },
    cancel: () => {
      clearTimeout(t)
      t = undefined
    },
  }
}
