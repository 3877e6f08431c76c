// One suppression scope whichever way a contact stops getting mail: marked by hand in the contact (contacts.update)
// or by a Mailgun event (unsubscribe link, complaint, bounce). An unsubscribe is from one business; a complaint or a
// bounce is about the address, so no business mails it again. Before issue 15 the hand-marked complaint and bounce
// were kept to the contact's own business, and another business still mailed the address.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeMailgun, type FakeMailgun } from './fakes/mailgunFake'
import { freshEngine, type TestEngine } from './helpers'

const KEY = 'key-live-0123456789'
const DOMAINS = ['mg.eve.test', 'mg.bloom.test']
let fake: FakeMailgun

beforeEach(async () => {
  fake = await startFakeMailgun({ apiKey: KEY, domains: DOMAINS })
})
afterEach(async () => {
  await fake.close()
})

async function business(t: TestEngine, name: string, domain: string) {
  const object = await t.ok('objects.create', { name, postalAddress: '1 Main St' })
  await t.ok('mailgun.upsert', { objectId: object.id, sendingDomain: domain, apiKey: KEY, region: 'us', apiBaseUrl: fake.url })
  const profile = await t.ok('profiles.create', { objectId: object.id, email: `hello@${domain}`, displayName: name, transport: { kind: 'mailgun' } })
  return { object, profile }
}

const scopes = (t: TestEngine) => {
  const db = new Database(join(t.dataDir, 'switchboard.db'), { readonly: true })
  try {
    const rows = db.prepare('SELECT email, object_id AS objectId, reason FROM suppressions').all() as Array<{ email: string; objectId: number | null; reason: string }>
    return new Map(rows.map((r) => [r.email, { objectId: r.objectId, reason: r.reason }]))
  } finally {
    db.close()
  }
}

describe('suppression scope', () => {
  it('is the same for a contact marked by hand as for one unsubscribed, complaining or bouncing through Mailgun', async () => {
    const t = freshEngine({ outbound: { undoMs: 0, eventsPollMs: 0, probeMs: 60_000, scheduler: { random: () => 0.5 } } })
    const eve = await business(t, 'Eve', DOMAINS[0]!)
    const bloom = await business(t, 'Bloom', DOMAINS[1]!)
    const reasons = ['unsubscribed', 'complained', 'bounced'] as const
    const byHand: Record<string, string> = {}
    const byEvent: Record<string, string> = {}
    for (const reason of reasons) {
      const hand = await t.ok('contacts.create', { email: `hand-${reason}@client.test`, primaryObjectId: eve.object.id })
      await t.ok('contacts.update', { id: hand.id, status: reason })
      byHand[reason] = hand.email!
      const linked = await t.ok('contacts.create', { email: `link-${reason}@client.test`, primaryObjectId: eve.object.id })
      const sent = await t.ok('mail.send', { profileId: eve.profile.id, to: [linked.email!], subject: 'Offer', html: 'hi', contactId: linked.id })
      byEvent[reason] = linked.email!
      await t.engine.outbound.scheduler.idle()
      if (reason === 'unsubscribed') fake.unsubscribe(sent.messageId)
      else if (reason === 'complained') fake.complain(sent.messageId)
      else fake.fail(sent.messageId, 'permanent', 'bounce')
    }
    await t.engine.outbound.pollEvents()

    const s = scopes(t)
    for (const reason of reasons) {
      expect(s.get(byEvent[reason]!), `${reason} through Mailgun`).toMatchObject({ reason })
      expect(s.get(byHand[reason]!), `${reason} by hand`).toEqual(s.get(byEvent[reason]!))
    }
    // The rule itself: an unsubscribe is from the business that mailed; a complaint or a bounce from every business.
    expect(s.get(byHand.unsubscribed!)).toEqual({ objectId: eve.object.id, reason: 'unsubscribed' })
    expect(s.get(byHand.complained!)).toEqual({ objectId: null, reason: 'complained' })
    expect(s.get(byHand.bounced!)).toEqual({ objectId: null, reason: 'bounced' })

    // What it means: another business may still mail the one who unsubscribed, but not the ones who complained or bounced.
    for (const mark of [byHand, byEvent]) {
      const other = async (reason: string) =>
        (await t.ok('mail.send', { profileId: bloom.profile.id, to: [mark[reason]!], subject: 'Bloom news', html: 'hi' })).status
      expect(await other('unsubscribed')).not.toBe('skipped')
      expect(await other('complained')).toBe('skipped')
      expect(await other('bounced')).toBe('skipped')
      // The business they unsubscribed from may not.
      expect((await t.ok('mail.send', { profileId: eve.profile.id, to: [mark.unsubscribed!], subject: 'Eve news', html: 'hi' })).status).toBe('skipped')
    }
  })

  it('suppresses an unassigned contact marked unsubscribed by hand for every business, as it belongs to none', async () => {
    const t = freshEngine()
    const c = await t.ok('contacts.create', { email: 'Nobody@Client.test' })
    await t.ok('contacts.update', { id: c.id, status: 'unsubscribed' })
    expect(scopes(t).get('nobody@client.test')).toEqual({ objectId: null, reason: 'unsubscribed' })
    // Back to active and out again adds nothing twice.
    await t.ok('contacts.update', { id: c.id, status: 'active' })
    await t.ok('contacts.update', { id: c.id, status: 'unsubscribed' })
    expect([...scopes(t).keys()]).toEqual(['nobody@client.test'])
  })
})
