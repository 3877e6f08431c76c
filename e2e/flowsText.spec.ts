// The flow editor's text step (issue 17 item 7): dragged from the palette into a flow, set up in the side
// panel (channel, a variable inserted at the cursor, the segment counter, WhatsApp's template), previewed for a
// real contact by the engine, saved and activated (the business has a Twilio SMS sender). No Twilio is
// called: nothing is enrolled.
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { shot } from './shot'

const node = (page: Page, id: string) => page.getByTestId(`rf__node-${id}`)

test('a text step is added from the palette, written with a variable, previewed, and the flow activates', async ({ page, app }) => {
  test.setTimeout(120_000)
  const object = await app.rpc('objects.create', { name: 'Bloom Hair Studio', timezone: 'Europe/London', postalAddress: '12 Market Street, Bristol BS1 4DJ' })
  await app.rpc('twilio.upsert', { objectId: object.id, accountSid: `AC${'0'.repeat(32)}`, authToken: 'fake-auth-token-0123456789', smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: 'http://127.0.0.1:9' })
  await app.rpc('contacts.create', { firstName: 'Paul', lastName: 'Okafor', phone: '+15555550101', primaryObjectId: object.id })
  const flow = await app.rpc('flows.create', {
    name: 'Appointment reminder',
    objectId: object.id,
    graph: {
      nodes: [
        { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
        { id: 'end', type: 'end', config: {}, position: { x: 520, y: 0 } },
      ],
      edges: [],
    },
  })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.reload()
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click()
  await page.getByRole('link', { name: flow.name }).or(page.getByRole('button', { name: flow.name })).first().click()
  await expect(page.getByRole('heading', { level: 1, name: 'Appointment reminder' })).toBeVisible()

  await page.getByRole('button', { name: 'Add Send text' }).dragTo(page.locator('.flow-canvas'), { targetPosition: { x: 420, y: 520 } })
  await expect(node(page, 'text-1')).toBeVisible()
  await expect(node(page, 'text-1')).toContainText('SMS: no message yet')
  await node(page, 'text-1').click()
  const panel = page.getByRole('complementary', { name: 'Step settings' })
  await expect(panel.getByRole('heading', { name: 'Send text' })).toBeVisible()
  const message = panel.getByLabel('Message', { exact: true })
  await message.fill('Hi , your appointment at Bloom is tomorrow at 10:00. Reply STOP to opt out.')
  // The variable goes where the cursor is (after "Hi ").
  await message.evaluate((el) => (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(3, 3))
  await panel.getByRole('button', { name: 'First name' }).click()
  await expect(message).toHaveValue('Hi {{contact.first_name}}, your appointment at Bloom is tomorrow at 10:00. Reply STOP to opt out.')
  await expect(panel.getByRole('region', { name: 'Text preview' }).locator('.flow-text-bubble')).toHaveText('Hi Paul, your appointment at Bloom is tomorrow at 10:00. Reply STOP to opt out.')
  await expect(panel.getByTestId('segment-counter')).toHaveText('79 of 160 · GSM-7')
  await expect(node(page, 'text-1')).toContainText('SMS: “Hi [First name]')
  await shot(page, 'flow-editor-text-sms')

  // WhatsApp: the 24-hour rule is said, and a template can be given for those outside it.
  await panel.getByRole('button', { name: 'WhatsApp' }).click()
  await expect(panel.getByText('Outside the 24-hour window')).toBeVisible()
  await panel.getByLabel('Approved template (ContentSid)').fill(`HX${'ab'.repeat(16)}`)
  await panel.getByLabel(/Its values, one per line/).fill('{{contact.first_name}}')
  await shot(page, 'flow-editor-text-whatsapp')

  // A variable the contact has not got shows in the preview before anything runs.
  await panel.getByRole('button', { name: 'SMS' }).click()
  await message.fill('Hi {{contact.company}}')
  await expect(panel.getByRole('region', { name: 'Text preview' })).toContainText('contact.company')

  await message.fill('See you tomorrow, {{contact.first_name}}!')
  // Connect start → text → end and run it.
  for (const [from, to] of [['start', 'text-1'], ['text-1', 'end']] as const) {
    const src = await page.locator(`.react-flow__handle.source[data-nodeid="${from}"]`).boundingBox()
    const dst = await page.locator(`.react-flow__handle.target[data-nodeid="${to}"]`).boundingBox()
    await page.mouse.move(src!.x + src!.width / 2, src!.y + src!.height / 2)
    await page.mouse.down()
    await page.mouse.move(dst!.x + dst!.width / 2, dst!.y + dst!.height / 2, { steps: 10 })
    await page.mouse.up()
    await expect(page.getByTestId(`rf__edge-${from}->${to}`)).toBeAttached()
  }
  await expect(page.getByRole('status').filter({ hasText: 'Ready to run' })).toBeVisible()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByText('Unsaved changes')).not.toBeVisible()
  await page.getByRole('button', { name: 'Activate' }).click()
  await expect.poll(async () => (await app.rpc('flows.get', { id: flow.id })).status).toBe('active')
})
