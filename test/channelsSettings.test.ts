// Twilio settings per business (issue 17): saved with the token sealed, tested against the account endpoint.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from './fakes/twilioFake'
import { freshEngine } from './helpers'

const TOKEN = 'fake-auth-token-0123456789'
let fake: FakeTwilio
beforeEach(async () => {
  fake = await startFakeTwilio({ authToken: TOKEN })
})
afterEach(async () => fake.close())

describe('twilio settings', () => {
  it('upserts with the token sealed (never returned), gets, tests and removes', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0 } })
    const o = await t.ok('objects.create', { name: 'Eve Beauty MA', postalAddress: '1 Main St', timezone: 'America/New_York' })
    expect(await t.ok('twilio.get', { objectId: o.id })).toBeNull()
    expect((await t.err('twilio.upsert', { objectId: o.id, accountSid: fake.accountSid, smsFrom: '+15555550199' })).field).toBe('authToken')
    expect((await t.err('twilio.upsert', { objectId: o.id, accountSid: 'AC123', authToken: TOKEN })).field).toBe('accountSid')
    const s = await t.ok('twilio.upsert', { objectId: o.id, accountSid: fake.accountSid, authToken: TOKEN, smsFrom: '+15555550199', whatsappFrom: '+15555550198', apiBaseUrl: fake.url })
    expect(s).toMatchObject({ hasAuthToken: true, smsFrom: '+15555550199', whatsappFrom: '+15555550198', smsPerSecond: 1, authError: null })
    expect(JSON.stringify(s)).not.toContain(TOKEN)
    // The stored token is sealed at rest.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(`${t.dataDir}/switchboard.db`, { readonly: true })
    const raw = db.prepare('SELECT auth_token_sealed AS k FROM object_twilio_settings').get() as { k: string }
    db.close()
    expect(raw.k).not.toContain(TOKEN)
    // Omitting the token keeps it; changing the pace is a setting.
    expect(await t.ok('twilio.upsert', { objectId: o.id, accountSid: fake.accountSid, smsPerSecond: 5 })).toMatchObject({ hasAuthToken: true, smsPerSecond: 5, smsFrom: '+15555550199' })
    expect(await t.ok('twilio.test', { objectId: o.id })).toMatchObject({ ok: true, code: 'OK', friendlyName: 'Fake Twilio account' })
    expect(await t.ok('twilio.test', { objectId: o.id, authToken: 'wrong-token-0000000000' })).toMatchObject({ ok: false, code: 'AUTH' })
    expect(fake.requests.map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${fake.accountSid}.json`, `/2010-04-01/Accounts/${fake.accountSid}.json`])
    expect(await t.ok('twilio.remove', { objectId: o.id })).toEqual({ objectId: o.id })
    expect(await t.ok('twilio.get', { objectId: o.id })).toBeNull()
  })

  it('says so in words when nothing answers', async () => {
    const t = freshEngine({ outbound: { run: false, eventsPollMs: 0 } })
    const r = await t.ok('twilio.test', { accountSid: fake.accountSid, authToken: TOKEN, apiBaseUrl: 'http://127.0.0.1:9' })
    expect(r.ok).toBe(false)
    expect(r.message).toMatch(/Twilio/)
  })
})
