// The time left of a first sync, for the progress line: from the rate of the last ~30 s (a whole-run
// average would hide a slowdown, a per-event rate would jump around), and only once there is enough to go on.
type Progress = { folder: string; done: number; total: number }

const SPAN_MS = 30_000
const MIN_SAMPLE_MS = 1_000

export class EtaEstimator {
  private folder: string | null = null
  private samples: Array<{ at: number; done: number }> = []

  /** Seconds left for this folder, or null while the rate is not known yet. */
  estimate(p: Progress, now: number): number | null {
    if (p.folder !== this.folder || (this.samples.length && p.done < this.samples[this.samples.length - 1]!.done)) {
      this.folder = p.folder
      this.samples = []
    }
    this.samples.push({ at: now, done: p.done })
    while (this.samples.length > 2 && now - this.samples[0]!.at > SPAN_MS) this.samples.shift()
    const first = this.samples[0]!
    const ms = now - first.at
    const moved = p.done - first.done
    if (p.done >= p.total) return 0
    if (ms < MIN_SAMPLE_MS || moved <= 0) return null
    return Math.ceil(((p.total - p.done) * ms) / moved / 1000)
  }
}
