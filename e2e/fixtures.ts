// Every test gets a fresh workspace: a new temp data dir, the real engine, and the real web host on a
// random loopback port (or, in the electron project, the real desktop app). `rpc` talks to that engine
// the way the UI does, for set-up and for asserting what was stored.
import { test as base, expect, _electron, type Page } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openRpcSocket } from '../test/support/rpcSocket'
import type { Input, Method, Output } from '../src/shared/contract'
import type { Result } from '../src/shared/result'
import { createEngine, type EngineOptions } from '../src/main/engine'
import { startWebHost } from '../src/server/webHost'
import { electronPath } from './electron'

export interface App {
  url: string
  dataDir: string
  /** Calls the engine; throws with the engine's message on an error result. */
  rpc<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>
}

interface Bridge {
  invoke(method: string, input: unknown): Promise<unknown>
}

interface Launched extends App {
  /** The desktop window in the electron project; null when the test drives a browser tab. */
  window: Page | null
  /** The engine's log lines (web project), attached to a failed test's report. */
  log: string[]
  close(): Promise<void>
}

/** Engine settings a spec may change with `test.use({ engineOptions })` (web project only). */
export type EngineOverrides = Pick<EngineOptions, 'outbound' | 'testClock' | 'intake'>

async function launchWeb(overrides: EngineOverrides = {}): Promise<Launched> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'))
  const log: string[] = []
  const engine = createEngine({ host: 'web', dataDir, log: (m) => void log.push(`${new Date().toISOString()} ${m}`), ...overrides })
  const token = 'e2e-token'
  const host = await startWebHost({ engine, token, staticDir: resolve('out/renderer'), port: 0 })
  const socket = await openRpcSocket(host.port, { token })
  return {
    url: host.url,
    dataDir,
    window: null,
    log,
    rpc: socket.ok as App['rpc'],
    close: async () => {
      socket.close()
      await host.close()
      await engine.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function launchElectron(): Promise<Launched> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-electron-'))
  const app = await _electron.launch({
    executablePath: electronPath().path ?? undefined,
    args: ['.'],
    env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir },
  })
  const win = await app.firstWindow()
  const rpc = async (method: string, input: unknown) => {
    // Runs in the renderer, through the preload bridge, like the UI's own calls.
    const result = (await win.evaluate(([m, i]) => (globalThis as unknown as { switchboard: Bridge }).switchboard.invoke(m as string, i), [method, input] as const)) as Result<unknown>
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`)
    return result.value
  }
  const close = async () => {
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return { url: win.url(), dataDir, window: win, log: [], rpc: rpc as App['rpc'], close }
}

async function open(launched: Launched, page: Page, demo: boolean): Promise<App> {
  if (demo) await launched.rpc('app.seedDemo', {})
  if (launched.window) await launched.window.reload()
  else await page.goto(launched.url)
  return launched
}

export const test = base.extend<{ engineOptions: EngineOverrides; launched: Launched; app: App; demoApp: App }>({
  engineOptions: [{}, { option: true }],
  launched: async ({ engineOptions }, use, testInfo) => {
    const electron = electronPath()
    testInfo.skip(testInfo.project.name === 'electron' && !electron.path, electron.reason)
    const launched = testInfo.project.name === 'electron' ? await launchElectron() : await launchWeb(engineOptions)
    await use(launched)
    // A failure in CI comes with what the engine said (sync passes, retries, server replies).
    // (printed too: the list reporter shows only the head of a text attachment, and CI keeps only its output)
    if (testInfo.status !== testInfo.expectedStatus && launched.log.length) {
      const tail = launched.log.slice(-120).join('\n')
      await testInfo.attach('engine log', { body: launched.log.join('\n'), contentType: 'text/plain' })
      process.stderr.write(`--- engine log of "${testInfo.title}" (last ${Math.min(120, launched.log.length)} lines) ---\n${tail}\n`)
    }
    await launched.close()
  },
  // In the electron project the page is the app's own window, not a browser tab.
  page: async ({ page, launched }, use) => use(launched.window ?? page),
  app: async ({ launched, page }, use) => use(await open(launched, page, false)),
  demoApp: async ({ launched, page }, use) => use(await open(launched, page, true)),
})

export { expect }
