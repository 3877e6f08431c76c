import type { Page } from '@playwright/test'

// Screenshots for visual review, in the sizes and themes people use: a laptop (1440x900) and a small
// window (1024x700), light and dark, named `name.1440.light.png` and so on. The page is not reloaded:
// the viewport and the colour scheme change in place (the app follows prefers-color-scheme), and both are
// put back afterwards so the test carries on as before.
//
// SHOTS picks how many pictures each call takes (measured on a loaded 2-core machine: ~0.35 s for one,
// ~2.6 s for all four; the variants cost a relayout and repaint each, more than the capture):
//   SHOTS=all  (default) all four variants
//   SHOTS=one  one picture at the test's own viewport and scheme, `name.png` (the fastest run)
//   SHOTS=off  none
// Ordered so each step changes one thing (a resize and a scheme change each cost a relayout and repaint).
export const VARIANTS = [
  { width: 1440, height: 900, scheme: 'light' },
  { width: 1440, height: 900, scheme: 'dark' },
  { width: 1024, height: 700, scheme: 'dark' },
  { width: 1024, height: 700, scheme: 'light' },
] as const

type Scheme = 'light' | 'dark'

function mode(): 'all' | 'one' | 'off' {
  const v = (process.env.SHOTS ?? 'all').toLowerCase()
  return v === 'one' || v === 'off' ? v : 'all'
}

/** Waits until layout and paint have caught up with a resize or a scheme change (charts re-measure on the
 * next ResizeObserver callback, which runs before the second frame). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame
        raf(() => raf(() => done()))
      }),
  )
}

async function capture(page: Page, path: string, fullPage: boolean): Promise<void> {
  if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0))
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'initial' })
}

/** Full pages are captured from the top, since sticky parts (the sidebar) are drawn where the window last
 * scrolled to; dialogs and popovers are captured as the window shows them (fixed layers). */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  const which = mode()
  if (which === 'off') return
  if (which === 'one') return capture(page, `e2e/screenshots/${name}.png`, fullPage)
  const viewport = page.viewportSize()
  // A theme the user picked in the app (data-theme) would beat the emulated scheme: set it aside meanwhile.
  const picked = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string | undefined> } } }).document.documentElement
    const theme = root.dataset.theme ?? null
    delete root.dataset.theme
    return theme
  })
  const scheme: Scheme = (await page.evaluate(() => (globalThis as unknown as { matchMedia(q: string): { matches: boolean } }).matchMedia('(prefers-color-scheme: dark)').matches)) ? 'dark' : 'light'
  try {
    let at = { ...(viewport ?? { width: 0, height: 0 }), scheme }
    for (const v of VARIANTS) {
      if (v.scheme !== at.scheme) await page.emulateMedia({ colorScheme: v.scheme })
      if (v.width !== at.width || v.height !== at.height) await page.setViewportSize({ width: v.width, height: v.height })
      at = { width: v.width, height: v.height, scheme: v.scheme }
      await settle(page)
      await capture(page, `e2e/screenshots/${name}.${v.width}.${v.scheme}.png`, fullPage)
    }
  } finally {
    if (picked)
      await page.evaluate((theme) => {
        ;(globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } }).document.documentElement.dataset.theme = theme
      }, picked)
    await page.emulateMedia({ colorScheme: scheme })
    if (viewport) await page.setViewportSize(viewport)
    await settle(page)
  }
}
