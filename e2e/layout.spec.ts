// Every screen at a small window (1024x700) fits without sideways scrolling, in the page and in its own
// scroll areas; and each is photographed at both sizes in both themes (shot()) for review.
// No mail users: received mail is stored straight into the workspace (e2e/inboxSeed.ts), and the business's
// SMTP points at a closed port, so sent mail waits in the outbox.
import type { Page } from '@playwright/test'
import { expect, test, type App } from './fixtures'
import { seedInbox } from './inboxSeed'
import { shot } from './shot'

/** What scrolls sideways: the page itself, and any scroll area whose content is wider than it. */
async function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = { tagName: string; className: { toString(): string }; scrollWidth: number; clientWidth: number; getAttribute(name: string): string | null }
    const g = globalThis as unknown as { document: { documentElement: El; querySelectorAll(s: string): ArrayLike<El> }; innerWidth: number; getComputedStyle(e: El): { overflowX: string } }
    const out: string[] = []
    const root = g.document.documentElement
    if (root.scrollWidth > g.innerWidth) out.push(`page: ${root.scrollWidth} > ${g.innerWidth}`)
    for (const el of Array.from(g.document.querySelectorAll('body *'))) {
      const style = g.getComputedStyle(el)
      if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') continue
      if (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' || el.tagName === 'SELECT') continue
      if (el.scrollWidth > el.clientWidth + 1) {
        const name = el.getAttribute('aria-label') ?? el.className.toString().split(' ')[0] ?? el.tagName
        out.push(`${el.tagName.toLowerCase()}.${name}: ${el.scrollWidth} > ${el.clientWidth}`)
      }
    }
    return out
  })
}

async function setUp(app: App) {
  const object = await app.rpc('objects.create', { name: 'Harbor Dental & Family Orthodontics', timezone: 'Europe/London', postalAddress: '4 Quay Street, Bristol BS1 4DJ' })
  const mailbox = await app.rpc('mailboxes.create', {
    objectId: object.id,
    email: 'front-desk@harbor-dental.test',
    displayName: 'Front desk',
    smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'front-desk@harbor-dental.test', password: 'pw' },
  })
  const profile = await app.rpc('profiles.create', { objectId: object.id, email: 'front-desk@harbor-dental.test', displayName: 'Front desk at Harbor Dental', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  const people = await Promise.all(
    [
      ['Annabelle', 'Fitzgerald-Worthington', 'annabelle.fitzgerald-worthington@really-long-company-name.example.com'],
      ['Bo', 'Li', 'bo@example.com'],
      ['Carmen', 'Delgado', 'carmen.delgado@example.org'],
    ].map(([firstName, lastName, email]) => app.rpc('contacts.create', { email, firstName, lastName, company: 'Fitzgerald-Worthington Holdings International', primaryObjectId: object.id })),
  )
  const long = 'A-very-long-unbroken-word-that-a-sender-typed-without-spaces-'.repeat(4)
  seedInbox(app.dataDir, mailbox.id, [
    { subject: 'Question about my appointment next Tuesday', from: { name: 'Bo Li', email: 'bo@example.com' }, to: [{ name: '', email: 'front-desk@harbor-dental.test' }], text: 'Hi, can I move it to the afternoon?', html: null },
    {
      subject: 'Re: Invoice #1042 for the orthodontic consultation and the follow-up x-rays (second reminder, please read)',
      from: { name: 'Annabelle Fitzgerald-Worthington', email: 'annabelle.fitzgerald-worthington@really-long-company-name.example.com' },
      to: [
        { name: 'Front desk at Harbor Dental', email: 'front-desk@harbor-dental.test' },
        { name: 'Accounts', email: 'accounts-receivable@harbor-dental.test' },
        { name: 'Carmen Delgado', email: 'carmen.delgado@example.org' },
      ],
      cc: [{ name: 'Someone With A Long Name', email: 'someone.with.a.long.name@another-long-domain.example.net' }],
      text: `Hello,\n\n${long}\n\nThanks`,
      html: `<p>Hello,</p><p>${long}</p><table width="1400"><tr><td>Item</td><td>Consultation</td><td>£120.00</td></tr></table><pre>${'wide preformatted line '.repeat(12)}</pre><p>Thanks</p>`,
    },
  ])
  await app.rpc('drafts.save', { profileId: profile.id, to: [people[0].email!], subject: 'Your new appointment time', html: '<p>Hi Annabelle, we moved you to 3 pm.</p>' })
  await app.rpc('mail.send', { profileId: profile.id, to: [people[0].email!], subject: 'Reminder: your check-up is on Thursday at 10:30 with Dr Okafor', html: '<p>See you then.</p>', contactId: people[0].id })
  const seq = await app.rpc('sequences.create', {
    name: 'New patient welcome series with a rather long name',
    objectId: object.id,
    mailboxIds: [mailbox.id],
    steps: [
      { subject: 'Welcome to Harbor Dental, {{contact.first_name}}', bodyHtml: '<p>Hi {{contact.first_name}}</p>', wait: { value: 0, unit: 'days' } },
      { subject: 'How was your first visit?', bodyHtml: '<p>Tell us</p>', wait: { value: 3, unit: 'days' } },
      { subject: 'Book your next check-up', bodyHtml: '<p>Book now</p>', wait: { value: 14, unit: 'days' } },
    ],
  })
  await app.rpc('sequences.enroll', { sequenceId: seq.id, contactIds: people.map((p) => p.id) })
  await app.rpc('autoresponders.create', {
    name: 'Welcome new patients with a friendly note from the front desk',
    objectId: object.id,
    trigger: { type: 'CONTACT_CREATED' },
    actions: [{ subject: 'Welcome, {{contact.first_name}}', bodyHtml: '<p>Hi</p>', delay: { value: 0, unit: 'minutes' } }],
  })
  const threads = await app.rpc('inbox.list', {})
  return { object, seq, contact: people[0], thread: threads.threads.find((t) => /Invoice/.test(t.subject)) ?? threads.threads[0] }
}

test('every screen fits a 1024x700 window without sideways scrolling, in both themes', async ({ page, demoApp: app }) => {
  test.setTimeout(240_000)
  const { object, seq, contact, thread } = await setUp(app)
  // flows (issue 16): a drawn flow with a long name and a condition, for the list and the editor
  const flow = await app.rpc('flows.create', {
    name: 'Follow up on the spring whitening offer for new and returning patients',
    objectId: object.id,
    graph: {
      nodes: [
        { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
        { id: 'offer', type: 'sendEmail', config: { subject: 'Our spring offer for {{contact.first_name}}', html: '<p>Hi</p>' }, position: { x: 0, y: 130 } },
        { id: 'replied', type: 'condition', config: { kind: 'replied', nodeId: 'offer', within: { value: 2, unit: 'days' } }, position: { x: 0, y: 260 } },
        { id: 'done', type: 'end', config: {}, position: { x: -130, y: 400 } },
      ],
      edges: [
        { from: 'start', to: 'offer' },
        { from: 'offer', to: 'replied' },
        { from: 'replied', to: 'done', branch: 'yes' },
      ],
    },
  })
  await page.setViewportSize({ width: 1024, height: 700 })
  const screens: Array<[name: string, hash: string, ready: (p: Page) => Promise<unknown>]> = [
    ['inbox', '#/inbox', (p) => expect(p.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible()],
    ['inbox-reading', `#/inbox/${thread.id}`, (p) => expect(p.getByRole('heading', { name: /Invoice #1042/ }).first()).toBeVisible()],
    ['contacts', '#/contacts', (p) => expect(p.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible()],
    ['contact', `#/contacts/${contact.id}`, (p) => expect(p.getByRole('heading', { level: 1, name: /Annabelle/ })).toBeVisible()],
    ['import', '#/import', (p) => expect(p.getByRole('heading', { level: 1 }).first()).toBeVisible()],
    ['businesses', `#/businesses/${object.id}`, (p) => expect(p.getByRole('heading', { name: /Harbor Dental/ }).first()).toBeVisible()],
    ['drafts', '#/drafts', (p) => expect(p.getByText('Your new appointment time')).toBeVisible()],
    ['outbox', '#/outbox', (p) => expect(p.getByText(/Reminder: your check-up/).first()).toBeVisible()],
    ['dashboard', '#/dashboard', (p) => expect(p.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()],
    ['autoresponders', '#/autoresponders', (p) => expect(p.getByRole('heading', { level: 1, name: 'Autoresponders' })).toBeVisible()],
    ['autoresponder-new', '#/autoresponders/new', (p) => expect(p.getByRole('heading', { level: 1 }).first()).toBeVisible()],
    ['sequences', '#/sequences', (p) => expect(p.getByText(/New patient welcome series/).first()).toBeVisible()],
    ['sequence', `#/sequences/${seq.id}`, (p) => expect(p.getByRole('cell', { name: /Annabelle/ }).first()).toBeVisible()],
    ['flows', '#/flows', (p) => expect(p.getByText(/spring whitening offer/).first()).toBeVisible()],
    ['flow', `#/flows/${flow.id}`, (p) => expect(p.getByTestId('rf__node-replied')).toContainText('Needs one "no" path')],
    // template library (issue 18)
    ['templates', '#/templates', (p) => expect(p.getByRole('heading', { level: 1, name: 'Templates' })).toBeVisible()],
    ['template-new', '#/templates/new', (p) => expect(p.getByRole('heading', { level: 1, name: 'New template' })).toBeVisible()],
  ]
  const found: string[] = []
  for (const [name, hash, ready] of screens) {
    await page.goto(`${app.url}${hash}`)
    await ready(page)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      found.push(...(await sideways(page)).map((s) => `${name} (${scheme}): ${s}`))
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await shot(page, `layout-${name}`)
  }
  expect(found).toEqual([])
})

test('first-run set-up fits a 1024x700 window too, in both themes', async ({ page, app }) => {
  void app
  await page.setViewportSize({ width: 1024, height: 700 })
  await expect(page.getByRole('heading', { name: 'Welcome to Switchboard' })).toBeVisible()
  const found: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    found.push(...(await sideways(page)).map((s) => `onboarding (${scheme}): ${s}`))
  }
  expect(found).toEqual([])
})
