// A lead's path entries as the runner writes them (flowRun.ts): buffered per slice and written many rows per
// statement, with the node counts kept per lead until it got through.
import type { Ctx } from '../context'
import { addLeadEvents, type PathRow } from '../repos/flows'

/** Path entries of a slice not written yet, in lead order: written in chunks of many rows per statement. */
export class PathBuffer {
  rows: PathRow[] = []
  constructor(private ctx: Ctx) {}
  write(): void {
    if (this.rows.length) addLeadEvents(this.ctx, this.rows)
    this.rows = []
  }
}

/**
 * A lead's path entries of one advance, collected into the slice's buffer (one INSERT per entry cost most
 * of a step). A node's "entered" is written only when nothing else is written for it in the same advance
 * (a start, a node the lead stopped on by failing): its outcome row says when the lead was there, and the
 * counts still count it. `flush` writes what is buffered before a query that reads the path. The node
 * counts are kept per lead and added to the slice's only once the lead got through.
 */
export class Path {
  private mine: PathRow[] = []
  private entered: PathRow | null = null
  readonly counts = new Map<string, number>()
  constructor(
    private ctx: Ctx,
    readonly leadId: number,
    private flowId: number,
    private buffer: PathBuffer,
  ) {}
  add(nodeKey: string, outcome: string, detail: string | null = null, outboundId: number | null = null): void {
    const row: PathRow = [this.leadId, nodeKey, outcome, detail, outboundId, this.ctx.clock.now()]
    const key = `${this.flowId}\u0000${nodeKey}\u0000${outcome}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    if (this.entered && this.entered[1] !== nodeKey) this.keep(this.entered)
    this.entered = null
    if (outcome === 'entered') this.entered = row
    else this.keep(row)
  }
  private keep(row: PathRow): void {
    this.mine.push(row)
    this.buffer.rows.push(row)
  }
  /** Entries of this advance with this node and outcome. */
  pending(nodeKey: string, outcome: string): number {
    return this.mine.filter((r) => r[1] === nodeKey && r[2] === outcome).length
  }
  /** The lead stopped: an "entered" with no outcome is kept. */
  end(): void {
    if (this.entered) this.keep(this.entered)
    this.entered = null
  }
  /** Writes what is buffered (an "entered" with no outcome yet included). */
  flush(): void {
    this.end()
    this.buffer.write()
  }
}
