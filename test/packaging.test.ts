// The packaging config is checked on every run without building anything (there is no Electron binary to
// pack here): electron-builder loads it and validates it against its own JSON schema, then the parts this
// app relies on are checked (targets, fuses, the files the packaged app reads at run time).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = process.cwd()
const req = createRequire(join(root, 'package.json'))
type Config = Record<string, unknown> & {
  linux: { target: string[]; icon: string }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  files: Array<string | { filter: string[] }>
  asarUnpack: string[]
  electronFuses: Record<string, boolean>
}

async function load(): Promise<{ config: Config; validate: (c: unknown) => Promise<void> }> {
  const { getConfig, validateConfiguration } = req('app-builder-lib/out/util/config/config') as {
    getConfig(dir: string, path: string | null, opts: unknown): Promise<Config>
    validateConfiguration(c: unknown, logger: unknown): Promise<void>
  }
  const { DebugLogger } = req('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }
  const config = await getConfig(root, null, null)
  return { config, validate: (c) => validateConfiguration(c, new DebugLogger(false)) }
}

describe('packaging config (electron-builder)', () => {
  it('passes electron-builder’s own validation, which does refuse a wrong config', async () => {
    const { config, validate } = await load()
    await expect(validate(config)).resolves.toBeUndefined()
    // The check has teeth: an unknown option and a misspelt fuse are refused.
    await expect(validate({ ...config, notAnOption: true })).rejects.toThrow(/notAnOption|additional/i)
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).rejects.toThrow()
  }, 30_000)

  it('builds AppImage and deb, dmg and nsis, with every security fuse set', async () => {
    const { config } = await load()
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    })
  }, 30_000)

  it('packs what the app reads at run time', async () => {
    const { config } = await load()
    // package.json "main" points into out/; migrations are applied at start-up; icons for the window and tray.
    const pkg = req('./package.json') as { main: string }
    expect(pkg.main.startsWith('./out/')).toBe(true)
    // electron-builder normalises `files` into file sets.
    const files = config.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter))
    expect(files).toEqual(expect.arrayContaining(['out/**/*', 'resources/migrations/**/*', 'resources/icons/**/*']))
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*')
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon, 'resources/icons/tray.png', 'resources/icons/badge.png']) expect(existsSync(join(root, icon)), icon).toBe(true)
    expect(existsSync(join(root, 'resources/migrations/meta/_journal.json'))).toBe(true)
  }, 30_000)
})
