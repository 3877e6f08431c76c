// The consent and audit tables shared by channels (issue 17) and data rights (issue 18): one current answer per
// contact and channel, every change kept as history, repeats ignored, rows gone with their contact.
import { describe, expect, it } from 'vitest'
import { consentFor, consentHistory, consentOf, isRevoked, setConsent } from '../src/main/engine/repos/consent'
import { addAudit, auditOf } from '../src/main/engine/repos/audit'
import { freshEngine } from './helpers'
import { storeCtx } from './inboxFixtures'

describe('consent', () => {
  it('keeps the current answer per channel, its history, and drops both with the contact', async () => {
    const t = freshEngine()
    const { ctx } = storeCtx(t)
    const o = await t.ok('objects.create', { name: 'Eve Beauty' })
    const c = await t.ok('contacts.create', { email: 'ava@x.co', primaryObjectId: o.id })
    expect(consentFor(ctx, c.id, 'sms')).toBeNull()
    expect(isRevoked(ctx, c.id, 'sms')).toBe(false)
    expect(setConsent(ctx, c.id, 'sms', 'granted', 'form', 1000)).toBe(true)
    expect(setConsent(ctx, c.id, 'sms', 'granted', 'form', 2000)).toBe(false)
    expect(setConsent(ctx, c.id, 'sms', 'revoked', 'inbound:STOP', 3000)).toBe(true)
    expect(setConsent(ctx, c.id, 'whatsapp', 'granted', 'manual', 4000)).toBe(true)
    expect(isRevoked(ctx, c.id, 'sms')).toBe(true)
    expect(consentOf(ctx, c.id).map((x) => [x.channel, x.status, x.source])).toEqual([
      ['sms', 'revoked', 'inbound:STOP'],
      ['whatsapp', 'granted', 'manual'],
    ])
    expect(consentHistory(ctx, c.id).map((x) => `${x.channel}:${x.status}`)).toEqual(['sms:granted', 'sms:revoked', 'whatsapp:granted'])
    ctx.sqlite.prepare('DELETE FROM contacts WHERE id = ?').run(c.id)
    expect(consentOf(ctx, c.id)).toEqual([])
    expect(consentHistory(ctx, c.id)).toEqual([])
  })

  it('keeps an audit log per business, newest first, paged by id', async () => {
    const t = freshEngine()
    const { ctx } = storeCtx(t)
    const o = await t.ok('objects.create', { name: 'Eve Beauty' })
    addAudit(ctx, { objectId: o.id, userId: null, action: 'contacts.export', detail: { contactId: 7 } }, 1000)
    addAudit(ctx, { objectId: o.id, userId: null, action: 'contacts.erase', detail: { messages: 3 } }, 2000)
    expect(auditOf(ctx, o.id, 10).map((a) => [a.action, a.detail])).toEqual([
      ['contacts.erase', { messages: 3 }],
      ['contacts.export', { contactId: 7 }],
    ])
    expect(auditOf(ctx, o.id, 1, auditOf(ctx, o.id, 1)[0]!.id).map((a) => a.action)).toEqual(['contacts.export'])
  })
})
