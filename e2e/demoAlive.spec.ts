// Issue 20 capability 8: the sample workspace shows the product alive. A newcomer opening --demo sees
// mail in the inbox, an autoresponder, a running sequence and a dashboard with data.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { shot } from './shot'

async function sizes(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await shot(page, `${name}-${w}`, false)
  }
  await page.setViewportSize({ width: 1360, height: 860 })
}

test('the demo: inbox with mail, a running sequence, an autoresponder and a dashboard with data', async ({ page, demoApp }) => {
  const nav = page.getByRole('navigation', { name: 'Main' })

  await nav.getByRole('link', { name: 'Inbox' }).click()
  await expect(page.getByText('Gift card for my sister').first()).toBeVisible()
  await expect(page.getByText('Allergy form for my appointment').first()).toBeVisible()
  await sizes(page, 'demo-inbox')
  await page.getByText('Allergy form for my appointment').first().click()
  await expect(page.getByText('allergy-form.pdf').first()).toBeVisible()
  await expect(page.frameLocator('iframe[title="Message: Allergy form for my appointment"]').getByText('Please find my allergy form attached')).toBeVisible()
  await sizes(page, 'demo-inbox-attachment')

  await nav.getByRole('link', { name: 'Sequences' }).click()
  await expect(page.getByText('Spring re-booking').first()).toBeVisible()
  await sizes(page, 'demo-sequences')
  await page.getByText('Spring re-booking').first().click()
  const table = page.getByRole('table', { name: 'Sequence contacts' })
  await expect(table).toBeVisible()
  await expect(table.getByText('Replied after step 2')).toBeVisible()
  await expect(table.getByText('All 3 sent').first()).toBeVisible()
  await sizes(page, 'demo-sequence-page')

  await nav.getByRole('link', { name: 'Autoresponders' }).click()
  await expect(page.getByText('Welcome new clients').first()).toBeVisible()
  await sizes(page, 'demo-autoresponders')

  await nav.getByRole('link', { name: 'Dashboard' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  const summary = await demoApp.rpc('analytics.summary', { from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() })
  expect(summary.totals.sent).toBeGreaterThan(10)
  // The charts have drawn their bars (they render after their data arrives).
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible()
  await expect(page.getByText('Sequence funnel')).toBeVisible()
  await sizes(page, 'demo-dashboard')
})
