import type { Page } from '@playwright/test'

/** Saves a screenshot for visual review. Full pages are captured from the top, since sticky parts (the
 * sidebar) are drawn where the window last scrolled to; dialogs and popovers are captured as the window
 * shows them (fixed layers). */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0))
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage })
}
