// Issue 19 through the UI: a note on a contact (pinned), a task from the contact page, the Today screen and
// its sidebar badge, the reminder at the due time (test clock), and completing the task.
import { manualClock } from '../src/main/engine/clock'
import { expect, test } from './fixtures'
import { seedInbox } from './inboxSeed'
import { shot } from './shot'

const clock = manualClock(Date.now())
test.use({ engineOptions: { outbound: { undoMs: 0, eventsPollMs: 0 }, testClock: clock } })

/** A datetime-local value `ms` from now, as a wall-clock time in New York. */
function nyLocal(ms: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(clock.now() + ms)
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

test('notes, a task, Today with its badge, the reminder and completing it', async ({ page, app }) => {
  // 14:00 in New York, so "in one hour" is still today there.
  const d = new Date(clock.now())
  clock.set(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 19, 0, 0))
  // The page's clock starts at the engine's: the window words a due date ("Today", "Tomorrow") by its own
  // clock, and between 00:00 and 05:00 UTC the real date in New York is the day before the engine's.
  await page.clock.install({ time: clock.now() })
  const biz = await app.rpc('objects.create', { name: 'Eve Beauty', timezone: 'America/New_York' })
  const sam = await app.rpc('users.create', { name: 'Sam Rivera', email: 'sam@eve.test' })
  await app.rpc('users.setCurrent', { id: sam.id })
  const ava = await app.rpc('contacts.create', { email: 'ava@client.test', firstName: 'Ava', lastName: 'Nguyen', company: 'Glow Studio', primaryObjectId: biz.id })
  await app.rpc('notes.create', { contactId: ava.id, bodyHtml: '<p>Prefers mornings. Allergic to lavender.</p>' })
  await page.reload()
  await page.goto(`${app.url}#/contacts/${ava.id}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Ava Nguyen' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'At a glance' }).or(page.locator('.contact-summary'))).toContainText('Never')

  // A note, written in the rich editor, then pinned to the top.
  const editor = page.getByRole('textbox', { name: 'New note', exact: true })
  await editor.click()
  await page.keyboard.type('Called: wants a quote for the bridal package.')
  await page.getByRole('button', { name: 'Add note' }).click()
  const notes = page.getByRole('list', { name: 'Notes' })
  await expect(notes.getByRole('listitem')).toHaveCount(2)
  await expect(notes.getByRole('listitem').first()).toContainText('wants a quote')
  await expect(notes.getByRole('listitem').first()).toContainText('Sam Rivera')
  await notes.getByRole('listitem').nth(1).getByRole('button', { name: 'Pin' }).click()
  await expect(notes.getByRole('listitem').first()).toContainText('Allergic to lavender')
  await expect(notes.getByRole('listitem').first()).toContainText('Pinned')
  await expect.poll(async () => (await app.rpc('notes.list', { contactId: ava.id }))[0]?.pinned).toBe(true)

  // A task for Ava, due in an hour (New York time).
  await page.getByLabel('Task', { exact: true }).fill('Send the bridal quote')
  await page.getByLabel('Due', { exact: true }).fill(nyLocal(3_600_000))
  await page.getByRole('button', { name: 'Add task' }).click()
  const tasks = page.getByRole('list', { name: 'Tasks of this contact' })
  await expect(tasks).toContainText('Send the bridal quote')
  await expect(tasks).toContainText('Today')
  await expect(page.locator('.contact-summary')).toContainText('Send the bridal quote')
  const activity = page.getByRole('list', { name: 'Activity' })
  await expect(activity.getByRole('listitem')).toHaveCount(3)
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Notes' }).click()
  await expect(activity.getByRole('listitem')).toHaveCount(2)
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'All' }).click()
  await expect(activity.getByRole('listitem')).toHaveCount(3)
  await shot(page, 'crm-contact-page')

  // Today: the task under "Due today", and the badge in the sidebar.
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(nav.getByTestId('task-badge')).toHaveText(/^1/)
  await nav.getByRole('link', { name: /Today/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Due today' })).toContainText('Send the bridal quote')
  await expect(page.getByRole('list', { name: 'Due today' })).toContainText('Ava Nguyen')
  await shot(page, 'crm-today')

  // The due time passes: one reminder (a toast here), and the task is overdue.
  await app.rpc('clock.advance', { ms: 2 * 3_600_000 })
  await expect(page.getByText('Task due: Send the bridal quote (Ava Nguyen)')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Overdue' })).toContainText('Send the bridal quote')
  await shot(page, 'crm-today-overdue')

  // Done: it leaves Today, and the badge goes.
  await page.getByRole('checkbox', { name: 'Mark done: Send the bridal quote' }).click()
  await expect(page.getByText('You’re all caught up')).toBeVisible()
  await expect(nav.getByTestId('task-badge')).toHaveCount(0)
  expect((await app.rpc('tasks.list', { status: 'done' })).items.map((t) => t.title)).toEqual(['Send the bridal quote'])
  await shot(page, 'crm-today-done')

  // A mail search finds the notes too, and a found note opens its contact.
  await nav.getByRole('link', { name: /Inbox/ }).click()
  await page.getByRole('searchbox', { name: 'Search mail' }).fill('lavender')
  await page.getByRole('searchbox', { name: 'Search mail' }).press('Enter')
  const found = page.getByRole('region', { name: 'Notes that match' })
  await expect(found).toContainText('Allergic to lavender')
  await expect(found).toContainText('Ava Nguyen')
  await expect(found.getByRole('listitem')).toHaveCount(1)
  await shot(page, 'crm-inbox-note-search')
  await found.getByRole('link', { name: /Allergic to lavender/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Ava Nguyen' })).toBeVisible()
})

test('remind me if no reply, from a conversation', async ({ page, app }) => {
  const biz = await app.rpc('objects.create', { name: 'Harbor Dental', timezone: 'Europe/London' })
  const mailbox = await app.rpc('mailboxes.create', {
    objectId: biz.id,
    email: 'front-desk@harbor-dental.test',
    displayName: 'Front desk',
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'front-desk@harbor-dental.test', password: 'pw' },
  })
  const bo = await app.rpc('contacts.create', { email: 'bo@example.com', firstName: 'Bo', lastName: 'Li', primaryObjectId: biz.id })
  seedInbox(app.dataDir, mailbox.id, [
    { subject: 'Question about my appointment', from: { name: 'Bo Li', email: 'bo@example.com' }, to: [{ name: '', email: 'front-desk@harbor-dental.test' }], text: 'Can I move it to the afternoon?', html: null },
  ])
  await page.reload()
  await page.goto(`${app.url}#/inbox`)
  await page.getByText('Question about my appointment').first().click()
  const pane = page.getByRole('region', { name: 'Conversation' })
  await pane.getByRole('button', { name: 'Remind me' }).click()
  await expect(page.getByRole('menu', { name: 'Remind me if no reply' })).toContainText('If Bo Li does not reply')
  await shot(page, 'crm-remind-menu', false)
  await page.getByRole('menuitem', { name: 'in 3 days' }).click()
  await expect(page.getByText('We’ll remind you in 3 days unless Bo Li replies')).toBeVisible()
  const [task] = (await app.rpc('tasks.list', { contactId: bo.id })).items
  expect(task).toMatchObject({ title: 'Follow up with Bo Li: Question about my appointment', closeOnReply: true, due: 'upcoming' })
  expect(task!.threadId).not.toBeNull()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Today/ }).click()
  await expect(page.getByRole('list', { name: 'Coming up' })).toContainText('Follow up with Bo Li')
  await expect(page.getByRole('list', { name: 'Coming up' })).toContainText('Until they reply')

  // Edited in place: a new title and nobody assigned.
  await page.getByRole('button', { name: 'Follow up with Bo Li: Question about my appointment', exact: true }).click()
  const editor = page.getByRole('form', { name: /^Edit task/ })
  await editor.getByLabel('Title').fill('Call Bo about the afternoon slot')
  await shot(page, 'crm-task-edit', false)
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('list', { name: 'Coming up' })).toContainText('Call Bo about the afternoon slot')
  expect((await app.rpc('tasks.list', { contactId: bo.id })).items[0]).toMatchObject({ title: 'Call Bo about the afternoon slot', dueAt: task!.dueAt, closeOnReply: true })
})
