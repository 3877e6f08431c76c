// The one "are you sure?" (useConfirm in components/ConfirmDialog.tsx) every destructive action goes
// through: Cancel changes nothing, confirming runs the action, a refusal stays in the dialog in words, and
// the inline reply's Discard keeps the words until the user confirms, then drops the draft the autosave
// made while the dialog was open (the action is the screen's current one, not a closure from the opening).
// No mail users: the conversation is stored straight into the workspace (e2e/inboxSeed.ts).
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { offlineBusiness, seedInbox } from './inboxSeed'
import { shot } from './shot'

test('cancel changes nothing, confirm runs the action, a refusal stays in the dialog', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Eve Beauty', timezone: 'Europe/London' })
  const ava = await app.rpc('contacts.create', { email: 'ava@client.test', firstName: 'Ava', lastName: 'Nguyen', primaryObjectId: biz.id })
  await app.rpc('notes.create', { contactId: ava.id, bodyHtml: '<p>Prefers mornings.</p>' })
  await page.reload()
  await page.goto(`${app.url}#/contacts/${ava.id}`)
  const notes = page.getByRole('list', { name: 'Notes' })
  await expect(notes.getByRole('listitem')).toHaveCount(1)

  // Cancel: the dialog goes, the note stays.
  await notes.getByRole('button', { name: 'Delete note' }).click()
  const ask = page.getByRole('dialog', { name: 'Delete this note?' })
  await expect(ask).toContainText('The note is removed for everyone.')
  await shot(page, 'confirm-note', false)
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()
  expect(await app.rpc('notes.list', { contactId: ava.id })).toHaveLength(1)
  await expect(notes.getByRole('listitem')).toHaveCount(1)

  // Esc is a cancel too.
  await notes.getByRole('button', { name: 'Delete note' }).click()
  await expect(ask).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(ask).toBeHidden()
  expect(await app.rpc('notes.list', { contactId: ava.id })).toHaveLength(1)

  // Confirm: the note is deleted, the dialog closes and a toast says so.
  await notes.getByRole('button', { name: 'Delete note' }).click()
  await ask.getByRole('button', { name: 'Delete note' }).click()
  await expect(ask).toBeHidden()
  await expect(page.getByText('Note deleted')).toBeVisible()
  await expect.poll(async () => (await app.rpc('notes.list', { contactId: ava.id })).length).toBe(0)

  // The engine refuses (the business still has a contact): the dialog stays open with its words, and the
  // business stays.
  await page.goto(`${app.url}#/businesses/${biz.id}`)
  await page.getByRole('button', { name: 'Delete business' }).click()
  const del = page.getByRole('dialog', { name: 'Delete Eve Beauty?' })
  await del.getByRole('button', { name: 'Delete business' }).click()
  await expect(del.getByRole('alert')).toContainText(/contact/i)
  await expect(del.getByRole('button', { name: 'Delete business' })).toBeEnabled()
  await shot(page, 'confirm-refused', false)
  expect((await app.rpc('objects.list', {})).map((o) => o.id)).toContain(biz.id)
  await del.getByRole('button', { name: 'Cancel' }).click()
  await expect(del).toBeHidden()
})

/**
 * Pauses the page's clock a moment from now. The page's time runs on between reading it and pausing, and on a loaded
 * machine it ran past the moment asked for ("Cannot fast-forward to the past"): read it again and ask again.
 */
async function pauseSoon(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const now = await page.evaluate(() => Date.now())
    try {
      return await page.clock.pauseAt(now + 250)
    } catch (e) {
      if (attempt >= 5 || !/to the past/.test(String(e))) throw e
    }
  }
}

test('discarding a reply keeps the words until confirmed, then drops the draft saved meanwhile', async ({ page, app }) => {
  const { mailbox } = await offlineBusiness(app, 'Harbor Yoga', 'studio@harbor-yoga.test')
  seedInbox(app.dataDir, mailbox.id, [
    { subject: 'Saturday class', from: { name: 'Mia Lopez', email: 'mia@client.test' }, to: [{ name: '', email: 'studio@harbor-yoga.test' }], text: 'Is there room on Saturday?', html: null },
  ])
  const [thread] = (await app.rpc('inbox.list', {})).threads
  // The page's clock is paused once the reply is open, so the autosave's first save happens only when the
  // test lets it.
  await page.clock.install()
  await page.goto(`${app.url}#/inbox/${thread!.id}`)
  await page.reload()
  await page.getByRole('button', { name: 'Reply', exact: true }).first().click()
  const reply = page.getByRole('region', { name: 'Reply' })
  await expect(reply.getByLabel('Reply text')).toBeVisible()
  await pauseSoon(page)
  await reply.getByLabel('Reply text').pressSequentially('Yes, two places left')

  // Cancel: the reply and its words stay (nothing is saved yet).
  await reply.getByRole('button', { name: 'Discard' }).click()
  const ask = page.getByRole('dialog', { name: 'Discard this reply?' })
  await expect(ask).toContainText('What you wrote will be deleted.')
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(ask).toBeHidden()
  await expect(reply.getByLabel('Reply text')).toContainText('Yes, two places left')

  // More words, then Discard: asked while the reply has no draft id yet.
  await reply.getByLabel('Reply text').pressSequentially(' at 9.')
  await reply.getByRole('button', { name: 'Discard' }).click()
  await expect(ask).toBeVisible()
  expect(await app.rpc('drafts.list', {})).toHaveLength(0)
  // The debounce runs out while the dialog is open: the words are saved as a draft behind it.
  await page.clock.runFor(2_000)
  await expect.poll(async () => (await app.rpc('drafts.list', {})).map((d) => d.html).join()).toContain('Yes, two places left at 9.')
  await expect(reply.getByLabel('Reply text')).toContainText('Yes, two places left at 9.')
  await page.clock.resume()
  await shot(page, 'confirm-reply-discard', false)

  // Confirm: the reply closes, and the draft saved after the dialog opened goes too.
  await ask.getByRole('button', { name: 'Discard reply' }).click()
  await expect(reply).toBeHidden()
  await expect(page.getByText('Reply discarded')).toBeVisible()
  await expect.poll(async () => (await app.rpc('drafts.list', {})).length).toBe(0)
})
