// Time comes from here, never from Date.now() in engine code, so tests can move it.
export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

export function manualClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) }
}

export const iso = (ms: number): string => new Date(ms).toISOString()
