// Data & backups through the real web host CLI (`npm run serve`), which can restart itself on a backup:
// the screen, "Back up now", "Restore…" with its confirmation, the restart, and the damaged-database
// notice at start-up. Screenshots at 1440x900 and 1024x700.
import { test, expect, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createEngine } from '../src/main/engine'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'drives the web host CLI'))

interface Served {
  url: string
  dataDir: string
  stop(): Promise<void>
}

async function serve(dataDir: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/cli.ts', '--port', '0', '--data-dir', dataDir, '--no-build'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const on = (d: Buffer) => {
      out += String(d)
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/)
      if (m) resolve(m[1]!)
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', on)
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)))
  })
  return {
    url,
    dataDir,
    stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))),
  }
}

async function both(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 })
  await shot(page, `${name}-1440`)
  await page.setViewportSize({ width: 1024, height: 700 })
  await shot(page, `${name}-1024`)
  await page.setViewportSize({ width: 1440, height: 900 })
}

/** A workspace with the demo data, made by an engine in this process (then closed). */
async function demoWorkspace(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-data-'))
  const engine = createEngine({ host: 'web', dataDir, log: () => undefined, backups: { run: false } })
  await engine.dispatch('app.seedDemo', {})
  await engine.close()
  return dataDir
}

test('backs up now, lists backups with time and size, and restores one after a clear confirmation', async ({ page }) => {
  const dataDir = await demoWorkspace()
  const app = await serve(dataDir)
  try {
    await page.goto(app.url)
    await page.getByRole('link', { name: 'Data & backups' }).click()
    await expect(page.getByRole('heading', { name: 'Data & backups' })).toBeVisible()
    await expect(page.getByText('No backups yet')).toBeVisible()
    await both(page, 'data-empty')

    await page.getByRole('button', { name: 'Back up now' }).click()
    const rows = page.getByRole('list', { name: 'Backups' }).getByRole('listitem')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toContainText('Backed up by hand')
    await expect(rows.first()).toContainText(/\d+(\.\d)? (KB|MB)/)
    await expect(page.getByRole('button', { name: 'Back up now' })).toBeEnabled()
    await page.getByRole('button', { name: 'Back up now' }).click()
    await expect(rows).toHaveCount(2)
    await both(page, 'data-backups')

    await page.getByRole('link', { name: 'Contacts' }).click()
    await page.getByRole('link', { name: 'Data & backups' }).click()
    await rows.last().getByRole('button', { name: /Restore/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
    await expect(dialog).toContainText('Your current database is not deleted')
    await both(page, 'data-restore-confirm')
    // A mark on this page load: it is gone once the page has reloaded (the screen looks the same before and after).
    await page.evaluate(() => ((globalThis as unknown as { beforeRestore?: boolean }).beforeRestore = true))
    await dialog.getByRole('button', { name: 'Restore and restart' }).click()
    // The current database is set aside, and the page reloads by itself on the restored workspace.
    const setAside = () => readdirSync(dataDir).filter((f) => f.startsWith('switchboard.db.before-restore-'))
    await expect.poll(() => setAside().length, { timeout: 30_000 }).toBe(1)
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { beforeRestore?: boolean }).beforeRestore ?? false).catch(() => true), { timeout: 30_000 }).toBe(false)
    await expect(page.getByRole('heading', { name: 'Data & backups' })).toBeVisible({ timeout: 30_000 })
    await expect(rows).toHaveCount(2)
  } finally {
    await app.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})

test('says what happened when the database was found damaged, and offers the newest backup', async ({ page }) => {
  const dataDir = await demoWorkspace()
  // A backup first, then damage to the database itself.
  const engine = createEngine({ host: 'web', dataDir, log: () => undefined, backups: { run: false } })
  await engine.dispatch('backups.create', {})
  await engine.backups.idle()
  await engine.close()
  const file = join(dataDir, 'switchboard.db')
  const size = statSync(file).size
  const fd = openSync(file, 'r+')
  for (let at = 8192; at < size - 4096; at += 4096 * 2) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, at + 64)
  closeSync(fd)

  const app = await serve(dataDir)
  try {
    await page.goto(app.url)
    // The new workspace is empty, so the first-run wizard shows, with the notice above it.
    const notice = page.getByRole('alert').filter({ hasText: 'database was damaged' })
    await expect(notice).toBeVisible()
    await expect(notice).toContainText('switchboard.db.damaged-')
    await expect(notice.getByRole('button', { name: 'Restore newest backup…' })).toBeVisible()
    await both(page, 'data-damaged-onboarding')
    await notice.getByRole('button', { name: 'Restore newest backup…' }).click()
    await page.getByRole('dialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore and restart' }).click()
    // Back on the demo data: the wizard is gone and the contacts are there.
    await expect(page.getByRole('link', { name: 'Contacts' })).toBeVisible({ timeout: 30_000 })
    await page.getByRole('link', { name: 'Data & backups' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'database was damaged' })).toHaveCount(0)
  } finally {
    await app.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
