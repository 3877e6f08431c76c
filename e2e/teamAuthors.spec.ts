// Issue 22 item 5 on screen: the contact page and the outbox show who did what, with the same names on every desktop.
// The browser is a staff member's desktop (Ivy); the admin's desktop (Gil) is an engine without a window. Both
// write, sync through a real PostgreSQL (scripts/pg.sh), and Ivy's screens name each of them. No mail is sent
// (messages are scheduled for tomorrow; the mailbox points at port 9). Screenshots at 1440x900 and 1024x700.
import { otherDesktop } from './otherDesktop'
import { test, expect } from './fixtures'
import { freshDatabase } from './pgSeed'
import { shot } from './shot'

test.beforeEach(({}, info) => test.skip(info.project.name === 'electron', 'PostgreSQL tests drive the web host'))

test('the contact page and the outbox name who added, changed and queued, across desktops', async ({ app, page }) => {
  test.setTimeout(120_000)
  const db = await freshDatabase()
  const a = otherDesktop('who')
  const call = a.call
  try {
    const object = await call('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
    const box = await call('mailboxes.create', { objectId: object.id, email: 'desk@evebeauty.test', displayName: 'Front desk', minGapSeconds: 0, smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'desk', password: 'not-a-real-pw-1' }, imap: null })
    const desk = await call('profiles.create', { objectId: object.id, email: 'desk@evebeauty.test', displayName: 'Front desk', transport: { kind: 'smtp', mailboxId: box.id } })
    await call('team.create', { databaseUrl: db.url(), admin: { email: 'gil@example.test', displayName: 'Gil Admin', password: 'gil-team-pw-1' } })
    await call('team.users.create', { email: 'ivy@example.test', displayName: 'Ivy Staff', password: 'ivy-team-pw-1', role: 'staff', profileIds: [desk.id] })
    await call('team.sync', {})
    await app.rpc('team.join', { databaseUrl: `postgres://127.0.0.1:${new URL(db.url()).port}/${db.name}`, email: 'ivy@example.test', password: 'ivy-team-pw-1' })

    // Ivy adds a contact, a note and a message on her desktop; Gil changes the contact and queues a message on his.
    const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString()
    const zoe = await app.rpc('contacts.create', { email: 'zoe@client.test', firstName: 'Zoe', lastName: 'Martin', primaryObjectId: object.id })
    await app.rpc('notes.create', { contactId: zoe.id, bodyHtml: '<p>Wants the spring offer; call after 5pm.</p>' })
    await app.rpc('mail.send', { profileId: desk.id, to: ['zoe@client.test'], contactId: zoe.id, subject: 'Your spring booking', html: '<p>See you Friday</p>', sendAt: tomorrow() })
    await app.rpc('team.sync', {})
    await call('team.sync', {})
    await call('contacts.update', { id: zoe.id, company: 'Martin Studio' })
    // A task Gil writes down for Ivy: her list says who asked.
    const ivy = (await call<Array<{ id: number; email: string }>>('users.list', {})).find((u) => u.email === 'ivy@example.test')!
    await call('tasks.create', { title: 'Send Zoe the price list', contactId: zoe.id, dueAt: tomorrow(), assigneeId: ivy.id })
    await call('mail.send', { profileId: desk.id, to: ['zoe@client.test'], contactId: zoe.id, subject: 'Invoice for October', html: '<p>Attached</p>', sendAt: tomorrow() })
    await call('team.sync', {})
    await app.rpc('team.sync', {})

    // The page may have booted before the join (the welcome screen): load it afresh on the contact.
    await page.goto(`${app.url}#/contacts/${zoe.id}`)
    await page.reload()
    const authors = page.getByTestId('contact-authors')
    await expect(authors).toContainText('Added by Ivy Staff')
    await expect(authors).toContainText('last changed by Gil Admin')
    await expect(page.getByRole('listitem', { name: 'Note by Ivy Staff' }).first()).toBeVisible()
    await expect(page.getByRole('list', { name: 'Tasks of this contact' })).toContainText('by Gil Admin')
    await shot(page, 'team-authors-contact')

    await page.goto(`${app.url}#/outbox`)
    const row = (subject: string) => page.locator('.outbox-row', { hasText: subject })
    await expect(row('Your spring booking')).toContainText('by Ivy Staff')
    await expect(row('Invoice for October')).toContainText('by Gil Admin')
    await row('Invoice for October').getByRole('link', { name: 'Invoice for October' }).click()
    const detail = page.getByRole('complementary', { name: 'Message details' })
    await expect(detail.locator('dt', { hasText: 'Queued by' }).locator('xpath=following-sibling::dd')).toHaveText('Gil Admin')
    await shot(page, 'team-authors-outbox')
  } finally {
    await a.close()
    await db.drop()
  }
})
