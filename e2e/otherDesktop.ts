// Another desktop for the team specs: a real engine in the test's own process, without a window (usually the
// admin's), called through its dispatch as its UI would be. close() shuts it down and removes its data dir.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../src/main/engine'

export interface OtherDesktop {
  /** Calls the engine; throws with the engine's message on an error result. */
  call<T = { id: number }>(method: string, input: unknown): Promise<T>
  close(): Promise<void>
}

export function otherDesktop(name: string): OtherDesktop {
  const dir = mkdtempSync(join(tmpdir(), `sb-e2e-${name}-`))
  const engine = createEngine({ host: 'web', dataDir: dir, log: () => undefined, outbound: { run: false }, inbound: { run: false }, backups: { run: false }, intake: { run: false } })
  return {
    call: async <T,>(method: string, input: unknown): Promise<T> => {
      const r = await engine.dispatch(method, input)
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`)
      return r.value as T
    },
    close: async () => {
      await engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
