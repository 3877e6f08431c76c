// Pace per sender (a Twilio number or service per business and channel): a token bucket the claim asks how
// many texts of a lane may leave now. Tokens accrue at the lane's rate up to half a second's worth (at least
// one), so a loop delayed by a busy machine still keeps the set pace on average and an idle one never floods.
export interface Pacer {
  /** How many of this lane's rows may leave at `now` (0: wait until `next`); null = the lane is not paced. */
  room(lane: string, objectId: number, channel: string, now: number): { n: number; next: number; rate: number } | null
  /** Records that `n` rows of the lane left at `now`. */
  take(lane: string, n: number, now: number): void
}

export function createPacer(rateOf: (objectId: number, channel: string) => number | null): Pacer {
  const lanes = new Map<string, { next: number; interval: number; burst: number }>()
  const start = (lane: string, now: number) => {
    const l = lanes.get(lane)!
    // Unused time beyond the burst is not saved up.
    return Math.max(l.next, now - l.interval * (l.burst - 1))
  }
  return {
    room(lane, objectId, channel, now) {
      const rate = rateOf(objectId, channel)
      if (!rate) return null
      const interval = 1000 / rate
      const burst = Math.max(1, Math.floor(rate / 2))
      const l = lanes.get(lane)
      // A new lane starts with a full bucket.
      if (!l) lanes.set(lane, { next: -Infinity, interval, burst })
      else Object.assign(l, { interval, burst })
      const t0 = start(lane, now)
      if (t0 > now) return { n: 0, next: Math.ceil(t0), rate }
      return { n: Math.min(burst, Math.floor((now - t0) / interval) + 1), next: Math.ceil(t0 + interval), rate }
    },
    take(lane, n, now) {
      const l = lanes.get(lane)
      if (!l || n <= 0) return
      l.next = start(lane, now) + n * l.interval
    },
  }
}
