// Issue 18 through the UI: consent on the contact page (changed by staff), Export (the zip is written and its
// summary reads as a page), Erase behind a typed confirmation that says what goes and what stays, a re-import of
// the same address refused in words, the retention setting and the audit log. Screenshots of each screen.
import { existsSync } from 'node:fs'
import yauzl from 'yauzl'
import { expect, test } from './fixtures'
import { seedInbox } from './inboxSeed'
import { shot } from './shot'

test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0, run: false } } })

function zipEntry(path: string, name: string): Promise<string> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err)
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry()
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2)
          const parts: Buffer[] = []
          s.on('data', (b: Buffer) => parts.push(b))
          s.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
        })
      })
      zip.on('end', () => reject(new Error(`${name} is not in the zip`)))
      zip.readEntry()
    }),
  )
}

test('export, erase with its confirmation, a refused re-import, retention and the audit log', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Eve Beauty', timezone: 'America/New_York' })
  const mb = await app.rpc('mailboxes.create', { objectId: biz.id, email: 'hello@eve.test', displayName: 'Eve', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'u', password: 'p' } })
  const ava = await app.rpc('contacts.create', { email: 'ava.rights@client.test', firstName: 'Ava', lastName: 'Quill', company: 'Glow Studio', primaryObjectId: biz.id })
  await app.rpc('notes.create', { contactId: ava.id, bodyHtml: '<p>Asked for a copy of her data.</p>' })
  seedInbox(app.dataDir, mb.id, [
    { subject: 'My booking', from: { name: 'Ava Quill', email: 'ava.rights@client.test' }, to: [{ name: 'Eve', email: 'hello@eve.test' }], text: 'Hello there', html: null },
    { subject: 'Please delete my data', from: { name: 'Ava Quill', email: 'ava.rights@client.test' }, to: [{ name: 'Eve', email: 'hello@eve.test' }], text: 'GDPR request', html: null },
  ])
  await page.reload() // the app read "no business yet" when it opened
  await page.goto(`${app.url}#/contacts/${ava.id}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Ava Quill' })).toBeVisible()

  // Consent, set by staff, with its history.
  const privacy = page.getByRole('region', { name: 'Privacy & data' })
  await expect(privacy.getByRole('list', { name: 'Consent' })).toContainText('Never asked')
  await privacy.getByLabel('Email consent').selectOption('granted')
  await expect(privacy.getByRole('list', { name: 'Consent' })).toContainText('by staff')
  await privacy.getByLabel('SMS consent').selectOption('revoked')
  await privacy.getByRole('button', { name: /History/ }).click()
  await expect(privacy.getByRole('list', { name: 'Consent history' }).getByRole('listitem')).toHaveCount(2)

  // Export: the zip is written, and its summary is a readable page.
  await privacy.getByRole('button', { name: 'Export data' }).click()
  const saved = privacy.getByRole('status')
  await expect(saved).toContainText('.zip')
  const path = (await saved.locator('code').textContent())!.trim()
  expect(existsSync(path)).toBe(true)
  const summary = await zipEntry(path, 'summary.html')
  expect(summary).toContain('Data held about Ava Quill')
  expect(summary).toContain('Please delete my data')
  await shot(page, 'rights-contact-privacy')
  const summaryPage = await page.context().newPage()
  await summaryPage.setContent(summary)
  await expect(summaryPage.getByRole('heading', { level: 1 })).toHaveText('Data held about Ava Quill')
  await summaryPage.setViewportSize({ width: 1024, height: 700 })
  await summaryPage.screenshot({ path: 'e2e/screenshots/rights-export-summary.png', fullPage: true })
  await summaryPage.close()

  // Erase: says what goes and what stays, and waits for the address to be typed.
  await privacy.getByRole('button', { name: 'Erase…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Erase Ava Quill?' })
  await expect(dialog).toContainText('2 messages only they are part of')
  await expect(dialog).toContainText('1 note')
  await expect(dialog).toContainText('salted hash')
  await expect(dialog).toContainText('audit log')
  await expect(dialog).toContainText('will not download those messages again')
  const erase = dialog.getByRole('button', { name: 'Erase permanently' })
  await expect(erase).toBeDisabled()
  await dialog.getByLabel('Type ava.rights@client.test to confirm').fill('ava.rights@client.test')
  await shot(page, 'rights-erase-dialog', false)
  await erase.click()
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()
  expect(existsSync(path)).toBe(false)
  await expect.poll(async () => (await app.rpc('contacts.list', {})).items.length).toBe(0)

  // Re-import of the same address: nothing imported, and the row says why.
  const imp = await app.rpc('contacts.import', { csv: 'email,first name\nava.rights@client.test,Ava', objectId: biz.id, tagIds: [] })
  expect(imp).toMatchObject({ imported: 0, skipped: 1 })
  expect(imp.errors[0]!.message).toContain('erased at the person’s request')

  // Retention in the business settings.
  await page.goto(`${app.url}#/businesses/${biz.id}`)
  const retention = page.getByRole('region', { name: 'Mail retention' })
  await retention.getByLabel('Delete mail older than').check()
  await retention.getByLabel('Months').fill('18')
  await retention.getByRole('button', { name: 'Save' }).click()
  await expect.poll(async () => (await app.rpc('retention.get', { objectId: biz.id })).months).toBe(18)
  await retention.scrollIntoViewIfNeeded()
  await shot(page, 'rights-retention')

  // The audit log on Data & backups: every step above, without the person's address.
  await page.goto(`${app.url}#/data`)
  const log = page.getByRole('list', { name: 'Audit log' })
  await expect(log).toContainText('Erased contact')
  await expect(log).toContainText('Exported contact')
  await expect(log).toContainText('Imported contacts')
  await expect(log).toContainText('Changed mail retention')
  await expect(log).not.toContainText('ava.rights')
  await log.scrollIntoViewIfNeeded()
  await shot(page, 'rights-audit-log')
})
