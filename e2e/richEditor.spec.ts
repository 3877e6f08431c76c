// The rich text editor where people write: an autoresponder template and a compose draft, typed with the
// keyboard and the toolbar (bold, a list, a variable chip, the HTML source), saved through the real engine.
// No mail is sent, so no mail users are needed.
import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type App } from './fixtures'
import { shot } from './shot'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** Screenshots at 1440x900 and 1024x700; `ready` waits for what a resize re-renders (the preview frame). */
async function both(page: Page, name: string, fullPage = true, ready: () => Promise<void> = async () => {}) {
  for (const [width, height] of [[1440, 900], [1024, 700]] as const) {
    await page.setViewportSize({ width, height })
    await ready()
    await shot(page, `${name}-${width}`, fullPage)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

async function business(app: App) {
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London', postalAddress: '12 Market Street, Bristol' })
  // A mailbox nobody listens on: drafts and templates never need it to answer.
  const smtp = { host: '127.0.0.1', port: 9, secure: 'none' as const, user: 'bloom', password: 'x' }
  const mailbox = await app.rpc('mailboxes.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom', dailyCapacity: 100, minGapSeconds: 0, smtp })
  await app.rpc('profiles.create', { objectId: object.id, email: 'hello@bloom.test', displayName: 'Bloom', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  await app.rpc('contacts.create', { email: 'paul@example.test', firstName: 'Paul', lastName: 'Okafor', primaryObjectId: object.id })
  return object
}

test('an autoresponder template written with bold, a list, a variable chip and the HTML source saves as exact Handlebars', async ({ page, app }) => {
  await business(app)
  const tag = await app.rpc('tags.create', { name: 'Spring' })
  await page.reload()
  await nav(page).getByRole('link', { name: 'Autoresponders' }).click()
  await page.getByRole('button', { name: 'New autoresponder' }).first().click()
  await page.getByLabel('Name', { exact: true }).fill('Spring welcome')
  await page.getByRole('combobox', { name: 'Tag' }).fill(tag.name)
  await page.getByRole('option', { name: /^Spring/ }).click()
  const action = page.getByRole('group', { name: 'Action 1' })
  await action.getByLabel('Subject').fill('Welcome, {{default contact.first_name "friend"}}')

  const body = action.getByRole('textbox', { name: 'Message', exact: true })
  await body.click()
  await page.keyboard.type('Hi ')
  await action.getByRole('button', { name: 'Variable' }).click()
  await page.getByRole('menuitem', { name: /First name, or “there”/ }).click()
  // The menu gives the focus back to the editor as it closes: typing before that sent the first keys elsewhere.
  await expect(body).toBeFocused()
  await page.keyboard.type(', our ')
  await page.keyboard.press('Control+B')
  await page.keyboard.type('spring offers')
  await page.keyboard.press('Control+B')
  await page.keyboard.type(':')
  await page.keyboard.press('Enter')
  await action.getByRole('button', { name: 'Bulleted list' }).click()
  await page.keyboard.type('Cut and blow-dry')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Colour for ')
  // The side panel's variables insert at the editor's cursor too.
  await page.getByRole('button', { name: /\{\{business\.name\}\}/ }).click()
  await expect(action.getByRole('button', { name: 'Bold' })).toHaveAttribute('aria-pressed', 'false')
  await expect(body.locator('.rich-chip')).toHaveText(['First name · there', 'Business name'])
  await expect(body.locator('strong')).toHaveText('spring offers')
  await expect(body.locator('ul li')).toHaveCount(2)

  // Typed as text, a mustache becomes a chip as soon as it is closed.
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.keyboard.type('See you, {{profile.display_name}}')
  await expect(body.locator('.rich-chip')).toHaveCount(3)

  // The preview renders the chips for a real contact.
  const preview = page.getByRole('region', { name: 'Preview' })
  await expect(preview.frameLocator('iframe').locator('body')).toContainText('Hi Paul, our spring offers:')
  await expect(preview.frameLocator('iframe').locator('strong')).toHaveText('spring offers')
  await both(page, 'rich-template', true, () => expect(preview.frameLocator('iframe').locator('body')).toContainText('Hi Paul'))

  // The HTML source shows the exact Handlebars text; an edit there comes back into the editor.
  await action.getByRole('button', { name: 'HTML' }).click()
  const source = action.getByRole('textbox', { name: 'Message (HTML source)' })
  await expect(source).toHaveValue(/<p>Hi \{\{default contact\.first_name "there"\}\}, our <strong>spring offers<\/strong>:<\/p>/)
  await expect(source).toHaveValue(/<li>Colour for \{\{business\.name\}\}<\/li>/)
  await both(page, 'rich-template-source', true, () => expect(preview.frameLocator('iframe').locator('body')).toContainText('Hi Paul'))
  await source.fill((await source.inputValue()).replace('Cut and blow-dry', 'Cut and <em>blow-dry</em>'))
  await action.getByRole('button', { name: 'Back to editor' }).click()
  await expect(body.locator('em')).toHaveText('blow-dry')

  await page.getByRole('button', { name: 'Create autoresponder' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Spring welcome' })).toBeVisible()
  const [saved] = await app.rpc('autoresponders.list', {})
  expect(saved!.actions[0]!.bodyHtml).toBe(
    '<p>Hi {{default contact.first_name "there"}}, our <strong>spring offers</strong>:</p>' +
      '<ul><li>Cut and <em>blow-dry</em></li><li>Colour for {{business.name}}</li></ul>' +
      '<p>See you, {{profile.display_name}}</p>',
  )

  // Reopened, the same chips come back, and saving unchanged keeps the text byte for byte.
  await page.reload()
  await expect(body.locator('.rich-chip')).toHaveCount(3)
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Autoresponder saved')).toBeVisible()
  expect((await app.rpc('autoresponders.list', {}))[0]!.actions[0]!.bodyHtml).toBe(saved!.actions[0]!.bodyHtml)
})

test('compose writes rich text: bold, a list and a link are kept in the draft, and the engine cleans what the source view lets in', async ({ page, app }) => {
  await business(app)
  await page.reload()
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await dialog.getByRole('combobox', { name: 'To', exact: true }).fill('paul@example.test,')
  await dialog.getByLabel('Subject').fill('Your appointment')
  const body = dialog.getByRole('textbox', { name: 'Message', exact: true })
  await body.click()
  await page.keyboard.type('Hi Paul, bring ')
  await page.keyboard.press('Control+B')
  await page.keyboard.type('two things')
  await page.keyboard.press('Control+B')
  await page.keyboard.press('Enter')
  await dialog.getByRole('button', { name: 'Numbered list' }).click()
  await page.keyboard.type('your card')
  await page.keyboard.press('Enter')
  await page.keyboard.type('a smile')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Directions')
  await page.keyboard.press('Shift+Home')
  await page.keyboard.press('Control+K')
  await dialog.getByLabel('Link address').fill('bloom.test/find-us')
  await dialog.getByLabel('Link address').press('Enter')
  await expect(body.locator('a')).toHaveAttribute('href', 'https://bloom.test/find-us')
  await expect(dialog.getByRole('button', { name: 'Variable' })).toHaveCount(0) // compose is not a template
  await expect(dialog.getByRole('status')).toContainText('Saved')
  await both(page, 'rich-compose', false)

  let [draft] = await app.rpc('drafts.list', {})
  expect(draft!.html).toBe(
    '<p>Hi Paul, bring <strong>two things</strong></p><ol><li>your card</li><li>a smile</li></ol>' +
      '<p><a rel="noopener noreferrer" href="https://bloom.test/find-us" target="_blank">Directions</a></p>',
  )

  // Whatever the source view lets through, the engine sanitises like incoming mail before it is stored.
  await dialog.getByRole('button', { name: 'HTML' }).click()
  await dialog.getByRole('textbox', { name: 'Message (HTML source)' }).fill('<p onclick="steal()">Hello<script>alert(1)</script> <img src="x" onerror="steal()"></p>')
  await expect(dialog.getByRole('status')).toContainText('Saved')
  await expect.poll(async () => (await app.rpc('drafts.list', {}))[0]!.html).not.toContain('onclick')
  ;[draft] = await app.rpc('drafts.list', {})
  expect(draft!.html).not.toMatch(/script|onerror|steal/)
  expect(draft!.html).toContain('Hello')
})

test('pasting from Word keeps its lists and bold but not its styles, and a picked image is embedded in the draft', async ({ page, app }) => {
  await business(app)
  await page.reload()
  await page.getByRole('complementary').getByRole('button', { name: 'Compose' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await dialog.getByRole('combobox', { name: 'To', exact: true }).fill('paul@example.test,')
  await dialog.getByLabel('Subject').fill('From Word')
  const body = dialog.getByRole('textbox', { name: 'Message', exact: true })
  await body.click()
  // Word's clipboard, as Chromium hands it to the page.
  const html = readFileSync(join(__dirname, '../test/renderer/clipboard/word2016.html'), 'utf8')
  await body.evaluate((el, data) => {
    // Page-side code: the browser's DataTransfer and ClipboardEvent (this file is type-checked for Node).
    type DT = { setData(type: string, value: string): void }
    const g = globalThis as unknown as { DataTransfer: new () => DT; ClipboardEvent: new (type: string, init: object) => unknown }
    const dt = new g.DataTransfer()
    dt.setData('text/html', data)
    dt.setData('text/plain', 'Dear …')
    ;(el as unknown as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, html)
  await expect(body.locator('ul > li')).toHaveCount(3)
  await expect(body.locator('ol > li')).toHaveCount(2)
  await expect(body.locator('strong')).toHaveText('Bloom Hair Studio')
  // A plain message has no variables: the pasted {{…}} stays text the recipient reads.
  await expect(body.locator('p').first()).toHaveText('Dear {{contact.first_name}},')
  await expect(body.locator('.rich-chip')).toHaveCount(0)
  await expect(body.locator('[style], [class*="Mso"]')).toHaveCount(0)

  // An image picked from disk goes into the text at the cursor.
  await body.press('Control+End')
  await dialog.getByRole('toolbar', { name: 'Formatting' }).locator('input[type=file]').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') })
  await expect(body.locator('img[alt="dot"]')).toHaveAttribute('src', /^data:image\/png;base64,/)
  await expect(dialog.getByRole('status')).toContainText('Saved')
  await expect.poll(async () => (await app.rpc('drafts.list', {}))[0]?.html ?? '').toMatch(/<img [^>]*src="data:image\/png;base64,/)
  const [draft] = await app.rpc('drafts.list', {})
  expect(draft!.html).toContain('<ul><li>Arrive ten minutes early<ul><li>the door code is 4711</li></ul></li><li>Bring your loyalty card</li></ul>')
  expect(draft!.html).not.toMatch(/mso-|class=|file:/)
  await both(page, 'rich-compose-word', false)

  // Too large an image is refused in words, and nothing is inserted.
  await dialog.getByRole('toolbar', { name: 'Formatting' }).locator('input[type=file]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(1_200_000) })
  await expect(dialog.getByRole('alert')).toContainText('huge.png is 1.2 MB; images in the text can be 1 MB at most')
  await expect(body.locator('img[src^="data:"]')).toHaveCount(1)
})
