// The sample workspace, alive (issue 20 capability 8): a studio mailbox with mail in the inbox, an
// autoresponder with its history, a running sequence with contacts at different steps, and weeks of
// sent / opened / replied events for the dashboard. Rows are made by the engine's own services
// (queueMessage, transition, renderFor, storeMessages) on a clock set back to when each thing happened,
// so every row, event and thread agrees with the others.
//
// Nothing can leave: the studio mailbox is paused (its address and server are .example names with no
// password that works), nothing is left queued, and every sequence contact still running waits for a
// future step. A step that comes due later is held by the paused mailbox ("Mailbox paused"), in plain
// view, not sent and not retried noisily.
import { createHash } from 'node:crypto'
import { contract, type Input, type Method, type Output } from '../../../shared/contract'
import type { Ctx, Handlers } from '../context'
import { stmt } from '../db/stmt'
import { storeMessages } from '../inbound/store'
import type { ParsedMessage } from '../inbound/types'
import { addEvent, transition } from '../repos/outbox'
import { profileOfMailbox } from '../automation/sender'
import { renderFor } from '../automation/templates'
import { contactRow, objectRow } from '../repos/templates'
import { queueMessage } from './outbox'

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const DEMO_MAILBOX = 'studio@evebeauty.example'

/** A view of the engine whose clock reads `t`: what a service writes then is dated `t`. */
const at = (ctx: Ctx, t: number): Ctx => ({ ...ctx, clock: { now: () => t } })

type Contact = { id: number; email: string; firstName: string; lastName: string }

type Call = <M extends Method>(m: M, input: Input<M>) => Promise<Output<M>>
const caller = (ctx: Ctx, h: Handlers): Call => async (m, input) =>
  (await (h[m] as (c: Ctx, i: unknown) => unknown)(ctx, contract[m].input.parse(input))) as never

export interface DemoStudio {
  objectId: number
  mailboxId: number
  profileId: number
}

/**
 * The studio mailbox and its sender profile, made before the business's Mailgun profile so that it is
 * the business's first profile: whatever the demo user sends or fires from Eve Beauty waits, held by the
 * paused mailbox, instead of trying Mailgun with the sample key.
 */
export async function seedDemoStudio(ctx: Ctx, h: Handlers, objectId: number): Promise<DemoStudio> {
  const call = caller(ctx, h)
  const mailbox = await call('mailboxes.create', {
    objectId,
    email: DEMO_MAILBOX,
    displayName: 'Eve Beauty Studio',
    dailyCapacity: 200,
    minGapSeconds: 30,
    smtp: { host: 'smtp.evebeauty.example', port: 587, secure: 'starttls', user: DEMO_MAILBOX, password: 'sample-workspace' },
    sentCopy: 'none',
  })
  await call('mailboxes.update', { id: mailbox.id, status: 'paused' })
  const profile = await call('profiles.create', { objectId, email: DEMO_MAILBOX, displayName: 'Eve Beauty Studio', transport: { kind: 'smtp', mailboxId: mailbox.id } })
  return { objectId, mailboxId: mailbox.id, profileId: profile.id }
}

export async function seedDemoActivity(ctx: Ctx, h: Handlers, studio: DemoStudio, tags: { newClient: number }): Promise<void> {
  const call = caller(ctx, h)
  const now = ctx.clock.now()
  const { objectId } = studio
  const mailbox = { id: studio.mailboxId }
  const profile = { id: studio.profileId }

  const autoresponder = await call('autoresponders.create', {
    name: 'Welcome new clients',
    objectId,
    trigger: { type: 'TAG_ADDED', tagId: tags.newClient },
    actions: [
      {
        subject: 'Welcome to {{business.name}}, {{default contact.first_name "friend"}}',
        bodyHtml:
          '<p>Hi {{default contact.first_name "there"}},</p><p>Thank you for choosing {{business.name}}. Your first visit includes a free skin consultation.</p><p>See you soon,<br>{{profile.display_name}}</p>',
      },
    ],
  })
  const steps = [
    { subject: 'Time for your spring refresh, {{default contact.first_name "friend"}}?', bodyHtml: '<p>Hi {{default contact.first_name "there"}},</p><p>Spring appointments are opening up. Reply to this email and we will find you a time.</p>', wait: { value: 0, unit: 'days' as const } },
    { subject: 'A spot is waiting for you', bodyHtml: '<p>Hi {{default contact.first_name "there"}},</p><p>Just checking in: we still have a few mornings free this month.</p>', wait: { value: 3, unit: 'days' as const } },
    { subject: 'Last call for spring bookings', bodyHtml: '<p>Hi {{default contact.first_name "there"}},</p><p>This is our last note about spring. We would love to see you.</p>', wait: { value: 4, unit: 'days' as const } },
  ]
  const sequence = await call('sequences.create', { name: 'Spring re-booking', objectId, steps, mailboxIds: [mailbox.id] })

  const people = ctx.sqlite
    .prepare("SELECT id, email, first_name AS firstName, last_name AS lastName FROM contacts WHERE primary_object_id = ? AND email IS NOT NULL ORDER BY id LIMIT 20")
    .all(objectId) as Contact[]
  const object = objectRow(ctx, objectId)!
  const sender = profileOfMailbox(ctx, mailbox.id)!

  /** One message that went out at `t` (queued, then sent, each with its event), optionally opened later. */
  const sent = (c: Contact, subject: string, html: string, source: 'sequence' | 'autoresponder', t: number, headers: Record<string, string> = {}, openedAfter?: number) => {
    const r = renderFor(at(ctx, t), { subject, html, subjectField: 'subject', htmlField: 'bodyHtml' }, contactRow(ctx, c.id)!, object, sender)
    const row = queueMessage(at(ctx, t - 60_000), { profileId: profile.id, to: [c.email], subject: r.subject, html: r.html, text: r.text, headers: { ...r.headers, ...headers }, contactId: c.id, sendAt: t, source })
    transition(at(ctx, t), row.id, ['queued'], { status: 'sent', sentAt: t, nextAttemptAt: null, attempts: 1 }, 'sent', null)
    if (openedAfter !== undefined) addEvent(ctx, row.id, 'opened', null, t + openedAfter)
    if (openedAfter !== undefined && row.id % 3 === 0) addEvent(ctx, row.id, 'clicked', null, t + openedAfter + 4 * 60_000)
    return row
  }

  ctx.sqlite.transaction(() => {
    // The autoresponder's history: new clients over the last four weeks, each welcomed within minutes.
    const welcomed = people.slice(8, 20)
    const action = stmt(ctx.sqlite, 'SELECT id FROM autoresponder_actions WHERE autoresponder_id = ? ORDER BY position LIMIT 1').get(autoresponder.id) as { id: number }
    let lastFired = 0
    welcomed.forEach((c, i) => {
      const t = now - (27 - i * 2.2) * DAY + 10 * HOUR
      lastFired = t
      stmt(ctx.sqlite, 'INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, created_at) VALUES (?, ?, ?)').run(tags.newClient, c.id, t)
      const row = sent(c, autoresponder.actions[0]!.subject, autoresponder.actions[0]!.bodyHtml, 'autoresponder', t + 2 * 60_000, {}, i % 3 === 2 ? undefined : 3 * HOUR)
      stmt(
        ctx.sqlite,
        `INSERT INTO autoresponder_executions (autoresponder_id, action_id, contact_id, fire_key, status, error, outbound_id, scheduled_for, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'SENT', NULL, ?, ?, ?, ?)`,
      ).run(autoresponder.id, action.id, c.id, `tag:${t}`, row.id, t, t, t + 2 * 60_000)
    })
    stmt(ctx.sqlite, 'UPDATE autoresponders SET total_sent = ?, last_fired_at = ? WHERE id = ?').run(welcomed.length, lastFired, autoresponder.id)

    // The sequence: enrolled over the last three weeks; each contact as far along as its dates say.
    // [days ago enrolled, steps sent, what then]
    const plan: Array<[number, number, 'completed' | 'replied' | 'waiting']> = [
      [21, 3, 'completed'],
      [20, 3, 'completed'],
      [16, 1, 'replied'],
      [12, 2, 'replied'],
      [9, 2, 'waiting'],
      [6, 2, 'waiting'],
      [2, 1, 'waiting'],
      [1, 1, 'waiting'],
    ]
    const offsets = [0, 3 * DAY, 7 * DAY] // cumulative waits of the three steps
    plan.forEach(([ago, count, then], i) => {
      const c = people[i]!
      const start = now - ago * DAY - 5 * HOUR
      const sc = stmt(
        ctx.sqlite,
        `INSERT INTO sequence_contacts (sequence_id, contact_id, status, current_step, next_step_at, mailbox_id, enrolled_at, updated_at)
         VALUES (?, ?, 'active', 1, ?, ?, ?, ?) RETURNING id`,
      ).get(sequence.id, c.id, start, mailbox.id, start, start) as { id: number }
      let first: string | null = null
      let last = start
      for (let s = 0; s < count; s++) {
        const t = start + offsets[s]!
        const thread: Record<string, string> = first ? { 'In-Reply-To': first, References: first } : {}
        const row = sent(c, steps[s]!.subject, steps[s]!.bodyHtml, 'sequence', t, thread, (i + s) % 3 === 0 ? undefined : 5 * HOUR)
        first ??= row.messageId
        last = t
        stmt(ctx.sqlite, 'INSERT INTO sequence_messages (sequence_id, sequence_contact_id, step_position, outbound_id, created_at) VALUES (?, ?, ?, ?, ?)').run(sequence.id, sc.id, s + 1, row.id, t)
      }
      const next = count < steps.length ? start + offsets[count]! : null
      stmt(
        ctx.sqlite,
        `UPDATE sequence_contacts SET status = ?, current_step = ?, next_step_at = ?, first_message_id = ?, last_sent_at = ?, updated_at = ? WHERE id = ?`,
      ).run(then === 'completed' ? 'completed' : 'active', Math.min(count + 1, steps.length), then === 'completed' ? null : next! > now ? next : now + (i + 1) * 7 * HOUR, first, last, last, sc.id)
    })
  })()

  // The inbox: real messages through the store, which threads them, links them to contacts and turns
  // the two replies into `replied` events that stop those contacts' sequence, as a real reply would.
  const steps1 = ctx.sqlite
    .prepare(
      `SELECT sc.contact_id AS contactId, o.message_id AS messageId, o.subject, o.sent_at AS sentAt, sm.step_position AS position
       FROM sequence_contacts sc JOIN sequence_messages sm ON sm.sequence_contact_id = sc.id JOIN outbound_messages o ON o.id = sm.outbound_id
       WHERE sc.sequence_id = ? ORDER BY sm.step_position DESC`,
    )
    .all(sequence.id) as Array<{ contactId: number; messageId: string; subject: string; sentAt: number; position: number }>
  const lastStepOf = (contactId: number) => steps1.find((s) => s.contactId === contactId)!
  const byIndex = (i: number) => people[i]!
  const who = (c: Contact) => ({ name: `${c.firstName} ${c.lastName}`.trim(), email: c.email })
  const me = { name: 'Eve Beauty Studio', email: DEMO_MAILBOX }
  let uid = 1
  const msg = (o: { from: { name: string; email: string }; subject: string; text: string; t: number; seen: boolean; replyTo?: { messageId: string }; attachment?: { filename: string; contentType: string; content: Buffer } }): ParsedMessage => {
    const n = uid++
    const content = o.attachment?.content ?? null
    return {
      uid: n,
      flags: o.seen ? ['\\Seen'] : [],
      modseq: null,
      internalDate: o.t,
      size: o.text.length + (content?.length ?? 0) + 600,
      messageId: `<demo-${n}-${o.t}@${o.from.email.split('@')[1]}>`,
      inReplyTo: o.replyTo?.messageId ?? null,
      references: o.replyTo ? [o.replyTo.messageId] : [],
      subject: o.subject,
      date: o.t,
      from: o.from,
      to: [me],
      cc: [],
      replyTo: [],
      headers: [],
      text: o.text,
      html: `<p>${o.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').split('\n\n').join('</p><p>').replace(/\n/g, '<br>')}</p>`,
      attachments: o.attachment
        ? [{ filename: o.attachment.filename, contentType: o.attachment.contentType, size: content!.length, sha256: createHash('sha256').update(content!).digest('hex'), contentId: null, inline: false, content }]
        : [],
      dsn: null,
      parseError: null,
      raw: null,
    }
  }
  const replied2 = lastStepOf(byIndex(2).id)
  const replied3 = lastStepOf(byIndex(3).id)
  const inbox: ParsedMessage[] = [
    msg({ from: who(byIndex(2)), subject: `Re: ${replied2.subject}`, text: `Hi!\n\nYes please, could I come in on a Saturday morning? Any time before noon works.\n\nThanks,\n${byIndex(2).firstName}`, t: replied2.sentAt + 20 * HOUR, seen: true, replyTo: replied2 }),
    msg({ from: who(byIndex(3)), subject: `Re: ${replied3.subject}`, text: `Hello,\n\nThursday after 5 would be perfect for me. Is that possible?\n\n${byIndex(3).firstName}`, t: now - 26 * HOUR, seen: false, replyTo: replied3 }),
    msg({ from: who(byIndex(10)), subject: 'Gift card for my sister', text: 'Hi there,\n\nDo you sell gift cards? My sister’s birthday is next week and she loves your facials.\n\nBest wishes', t: now - 3 * HOUR, seen: false }),
    msg({ from: who(byIndex(11)), subject: 'Allergy form for my appointment', text: 'Hello,\n\nPlease find my allergy form attached, as asked for my appointment on Friday.\n\nKind regards', t: now - 50 * HOUR, seen: false, attachment: { filename: 'allergy-form.pdf', contentType: 'application/pdf', content: samplePdf() } }),
    msg({ from: who(byIndex(12)), subject: 'Thank you!', text: 'Just wanted to say thank you for Saturday, my skin has never felt better.', t: now - 5 * DAY, seen: true }),
    msg({ from: { name: 'Beauty Supply Co.', email: 'orders@beautysupply.example' }, subject: 'Your order #4471 has shipped', text: 'Your order of 12 items has shipped and should arrive within 3 working days.', t: now - 4 * DAY, seen: true }),
  ]
  // The Sent copies of the steps those two answered, so each conversation reads whole, as after a sync.
  const repliedTo = new Set([byIndex(2).id, byIndex(3).id])
  const sentCopies = ctx.sqlite
    .prepare(
      `SELECT o.message_id AS messageId, o.subject, o.text, o.html, o.sent_at AS sentAt, o.to_json AS toJson, o.headers_json AS headersJson, o.contact_id AS contactId
       FROM sequence_messages sm JOIN outbound_messages o ON o.id = sm.outbound_id WHERE sm.sequence_id = ? ORDER BY o.sent_at`,
    )
    .all(sequence.id) as Array<{ messageId: string; subject: string; text: string; html: string; sentAt: number; toJson: string; headersJson: string; contactId: number }>
  const sentFolder = sentCopies
    .filter((o) => repliedTo.has(o.contactId))
    .map((o, i): ParsedMessage => {
      const c = people.find((p) => p.id === o.contactId)!
      const inReplyTo = (JSON.parse(o.headersJson) as Record<string, string>)['In-Reply-To'] ?? null
      return { ...msg({ from: me, subject: o.subject, text: o.text, t: o.sentAt, seen: true }), uid: i + 1, messageId: o.messageId, inReplyTo, references: inReplyTo ? [inReplyTo] : [], to: [who(c)], html: o.html }
    })
  // Each message is stored as of its own date, so the replies it records land on the days they came.
  for (const m of sentFolder) storeMessages(at(ctx, m.date), { mailboxId: mailbox.id, folder: 'Sent', folderRole: 'sent', uidValidity: 1n }, [m])
  for (const m of inbox) storeMessages(at(ctx, m.date), { mailboxId: mailbox.id, folder: 'INBOX', folderRole: 'inbox', uidValidity: 1n }, [m])
}

/** A one-page PDF that says what it is: a sample attachment someone can open. */
function samplePdf(): Buffer {
  const text = 'Sample allergy form - Switchboard sample workspace'
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj',
    `4 0 obj << /Length ${44 + text.length} >> stream\nBT /F1 18 Tf 72 720 Td (${text}) Tj ET\nendstream endobj`,
    '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ]
  return Buffer.from(body.join('\n'))
}
