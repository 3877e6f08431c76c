// Issue 17: a contact's phone numbers on the profile form (several, labelled, one main, shown formatted, read
// by the business's country as soon as a field is left), the unsaved-changes guard with them, and the
// business's country in its settings.
import { expect, test } from './fixtures'
import { shot } from './shot'

test('a contact keeps several phone numbers, formatted, read by the business country', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Harbor Dental', timezone: 'America/New_York' })
  const c = await app.rpc('contacts.create', { email: 'ann@client.test', firstName: 'Ann', lastName: 'Lee', phone: '555-555-0123', primaryObjectId: biz.id })
  expect(c.phone).toBe('+15555550123')
  await page.reload()
  await page.goto(page.url().replace(/#.*$/, '') + `#/contacts/${c.id}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Ann Lee' })).toBeVisible()
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('+1 555 555 0123')
  await expect(page.getByText('Numbers without a country code are read as the United States.')).toBeVisible()

  // A second number: written the British way it is too long for the US, and said so when the field is left.
  await page.getByRole('button', { name: 'Add number' }).click()
  const second = page.getByLabel('Phone 2', { exact: true })
  await second.fill('020 7946 0958 1')
  await second.blur()
  await expect(page.getByText('That phone number has too many digits for the United States.')).toBeVisible()
  await expect(second).toHaveAttribute('aria-invalid', 'true')
  await shot(page, 'phones-profile-error')
  await second.fill('+44 20 7946 0958')
  await second.blur()
  await expect(page.getByText('too many digits')).toHaveCount(0)
  await page.getByLabel('Kind of number 2').selectOption('home')
  await page.getByLabel('Main number 2').check()
  await shot(page, 'phones-profile-two')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Contact saved')).toBeVisible()
  const saved = await app.rpc('contacts.get', { id: c.id })
  expect(saved.phone).toBe('+442079460958')
  expect(saved.phones).toEqual([
    { number: '+442079460958', label: 'home', primary: true },
    { number: '+15555550123', label: 'mobile', primary: false },
  ])
  // The main number comes first, shown formatted, and the header shows it.
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('+44 20 7946 0958')
  await expect(page.locator('.profile-heading .page-subtitle')).toContainText('+44 20 7946 0958')

  // Leaving with an unsaved number asks; Discard drops it on purpose, nothing stored.
  await page.getByLabel('Phone 2', { exact: true }).fill('555 555 0199')
  const nav = page.getByRole('navigation', { name: 'Main' })
  await nav.getByRole('link', { name: 'Contacts' }).click()
  const ask = page.getByRole('dialog', { name: 'Save your changes?' })
  await expect(ask).toBeVisible()
  await ask.getByRole('button', { name: 'Stay' }).click()
  await expect(page.getByLabel('Phone 2', { exact: true })).toHaveValue('+1 555 555 0199')
  await nav.getByRole('link', { name: 'Contacts' }).click()
  await ask.getByRole('button', { name: 'Discard' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  expect((await app.rpc('contacts.get', { id: c.id })).phones).toEqual(saved.phones)

  // Removing a number and saving keeps the other as the main one.
  await page.goBack()
  await expect(page.getByRole('heading', { level: 1, name: 'Ann Lee' })).toBeVisible()
  await page.getByRole('button', { name: 'Remove number +44 20 7946 0958' }).click()
  await expect(page.getByLabel('Main number 1')).toBeChecked()
  await page.getByRole('button', { name: 'Save changes' }).click()
  // (the first save's toast may still be showing: wait for what was stored instead)
  await expect.poll(async () => (await app.rpc('contacts.get', { id: c.id })).phones).toEqual([{ number: '+15555550123', label: 'mobile', primary: true }])
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled()
  await shot(page, 'phones-profile')
})

test('a business sets the country its phone numbers are read by', async ({ page, app }) => {
  const { id } = await app.rpc('objects.create', { name: 'Glow Studio', timezone: 'America/Chicago' })
  await page.reload()
  await page.getByRole('link', { name: 'Businesses' }).click()
  await expect(page.getByRole('heading', { name: 'Glow Studio' })).toBeVisible()
  const country = page.getByLabel('Country')
  await expect(country).toHaveValue('')
  await expect(country.locator('option:checked')).toHaveText('United States (from the time zone)')
  await country.selectOption('GB')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByText('Business details saved')).toBeVisible()
  expect((await app.rpc('objects.list', {})).find((o) => o.id === id)).toMatchObject({ country: 'GB', countrySet: true })
  await shot(page, 'phones-business-country')
  // A contact of this business typed the British way is read as British.
  const c = await app.rpc('contacts.create', { firstName: 'Cat', phone: '020 7946 0958', primaryObjectId: id })
  expect(c.phone).toBe('+442079460958')
})
