// Small panels close the way they do in every desktop app (Esc, or a press elsewhere), without taking the
// dialog around them or the user's typing with them; `c` composes from every screen; the theme follows
// the system unless the user picks one. No mail users: SMTP points at a closed port.
import type { Locator, Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { offlineBusiness } from './inboxSeed'
import { shot } from './shot'

async function business(app: App) {
  return (await offlineBusiness(app, 'Harbor Dental', 'desk@harbor.test')).object
}

const isFocused = (l: Locator) => l.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)

/** Opens a popover with its button and checks Esc closes it (focus back on the button), then a press outside. */
async function closesOnEscAndOutside(page: Page, button: Locator, panel: Locator, outside: Locator) {
  await button.click()
  await expect(panel).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
  expect(await isFocused(button)).toBe(true)
  await button.click()
  await expect(panel).toBeVisible()
  await outside.click()
  await expect(panel).toBeHidden()
}

test('popovers, menus and suggestion lists close on Esc and on a press outside, and keep what was typed', async ({ page, demoApp: app }) => {
  await business(app)
  await app.rpc('users.create', { name: 'Maya Chen', email: 'maya@harbor.test' }) // so compose offers "who is sending"
  await page.reload()

  // The bulk bar's tag popover on the contacts list.
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await page.getByRole('checkbox', { name: /^Select / }).first().check()
  const bulk = page.getByRole('toolbar', { name: 'Bulk actions' })
  await closesOnEscAndOutside(page, bulk.getByRole('button', { name: 'Add tag' }), page.getByRole('combobox', { name: 'Tag name' }), page.getByRole('heading', { level: 1, name: 'Contacts' }))
  await expect(bulk).toBeVisible()

  // The theme menu at the foot of the sidebar.
  const themeButton = page.getByRole('button', { name: /Theme: System/ })
  await closesOnEscAndOutside(page, themeButton, page.getByRole('menu', { name: 'Theme' }), page.getByRole('heading', { level: 1, name: 'Contacts' }))

  // Inside the compose dialog: Esc closes the menu only, never the dialog (and its draft) with it.
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Subject').fill('Your appointment')
  await closesOnEscAndOutside(page, dialog.getByRole('button', { name: 'Choose who you are' }), dialog.getByRole('menu', { name: 'Who is sending' }), dialog.getByLabel('Subject'))
  await expect(dialog).toBeVisible()
  await closesOnEscAndOutside(page, dialog.getByRole('button', { name: 'Schedule' }), dialog.getByRole('group', { name: 'Schedule send' }), dialog.getByRole('heading', { name: 'New message' }))
  await expect(dialog).toBeVisible()

  // Address suggestions: Esc hides them and keeps the half-typed address (it used to wipe it).
  const to = dialog.getByRole('combobox', { name: 'To' })
  await to.fill('am')
  const suggestions = dialog.getByRole('listbox', { name: 'To suggestions' })
  await expect(suggestions.getByRole('option').first()).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(suggestions).toBeHidden()
  await expect(to).toHaveValue('am')
  await expect(dialog).toBeVisible()
  // Typing brings them back; a press outside hides them.
  await to.pressSequentially('a')
  await expect(suggestions.getByRole('option').first()).toBeVisible()
  await dialog.getByRole('heading', { name: 'New message' }).click()
  await expect(suggestions).toBeHidden()
  await expect(dialog.getByLabel('Subject')).toHaveValue('Your appointment')
  // Esc with nothing open closes compose; the draft is kept.
  await dialog.getByLabel('Message', { exact: true }).click()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect.poll(async () => (await app.rpc('drafts.list', {})).map((d) => d.subject)).toContain('Your appointment')

  // The tag picker on a contact's page lists tags while typing; Esc hides the list and keeps the text.
  await page.getByRole('link', { name: 'Contacts' }).click()
  await page.getByRole('row').nth(1).click()
  const tagInput = page.getByRole('combobox', { name: /tag/i })
  await tagInput.fill('Ne')
  const tagList = page.getByRole('listbox', { name: 'Suggestions' })
  await expect(tagList).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(tagList).toBeHidden()
  await expect(tagInput).toHaveValue('Ne')
  await tagInput.pressSequentially('w')
  await expect(tagList).toBeVisible()
  await page.getByRole('heading', { level: 1 }).click()
  await expect(tagList).toBeHidden()
})

test('c opens compose from every screen, not while typing; Esc closes it and keeps the draft', async ({ page, demoApp: app }) => {
  const object = await business(app)
  await page.reload()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  const screens = ['#/contacts', '#/inbox', '#/drafts', '#/outbox', '#/dashboard', '#/autoresponders', '#/sequences', '#/import', `#/businesses/${object.id}`]
  for (const [i, hash] of screens.entries()) {
    await page.goto(`${app.url}${hash}`)
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible()
    await page.getByRole('heading', { level: 1 }).first().click() // focus on the page, not in a field
    await page.keyboard.press('c')
    await expect(dialog, `c on ${hash}`).toBeVisible()
    // Exactly one compose opened (the inbox has its own `c` too).
    await expect(page.getByRole('dialog')).toHaveCount(1)
    await dialog.getByLabel('Subject').fill(`Note ${i}`)
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  }
  await expect.poll(async () => (await app.rpc('drafts.list', {})).length).toBe(screens.length)

  // Typing a "c" in a field types it.
  await page.goto(`${app.url}#/contacts`)
  const search = page.getByPlaceholder(/Search by name/)
  await search.click()
  await page.keyboard.press('c')
  await expect(search).toHaveValue('c')
  await expect(dialog).toBeHidden()
})

/** The page's background colour as the user sees it. */
const background = (page: Page) => page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string }; document: { body: unknown } }).getComputedStyle((globalThis as unknown as { document: { body: unknown } }).document.body).backgroundColor)

test('the theme follows the system, and a choice of Light or Dark holds across a reload', async ({ page, demoApp: app }) => {
  void app
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  await page.emulateMedia({ colorScheme: 'light' })
  const light = await background(page)
  await page.emulateMedia({ colorScheme: 'dark' })
  const dark = await background(page)
  expect(dark).not.toBe(light)

  // Light chosen: the dark system setting no longer applies, even after a reload.
  await page.getByRole('button', { name: /Theme: System/ }).click()
  await page.getByRole('menuitemradio', { name: /Light/ }).click()
  expect(await background(page)).toBe(light)
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  expect(await background(page)).toBe(light)
  // Dark chosen on a light system.
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('button', { name: /Theme: Light/ }).click()
  await page.getByRole('menuitemradio', { name: /Dark/ }).click()
  expect(await background(page)).toBe(dark)
  await page.getByRole('button', { name: /Theme: Dark/ }).click()
  await shot(page, 'theme-menu', false)
  await page.getByRole('menuitemradio', { name: /System/ }).click()
  expect(await background(page)).toBe(light)
})
