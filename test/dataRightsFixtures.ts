// A contact with a bit of everything (mail both ways with an attachment, mail shared with another contact, an
// outbox row, a tag, consent with history, a note, a task), for the export and erase tests. Real SQLite and files.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import yauzl from 'yauzl'
import { setConsent } from '../src/main/engine/repos/consent'
import { storeMessages } from '../src/main/engine/inbound/store'
import type { TestEngine } from './helpers'
import { addr, attachment, inboxRef, inboxSetup, msg, sentRef, storeCtx } from './inboxFixtures'

export const AVA = 'ava.zephyr@client.test'
export const AVA_NAME = 'Zephyrine'
export const BOB = 'bob.keeper@client.test'

export async function richContact(t: TestEngine) {
  const { ctx } = storeCtx(t)
  const { object, mailbox, profile } = await inboxSetup(t)
  const tag = await t.ok('tags.create', { name: 'VIP' })
  const ava = await t.ok('contacts.create', { email: AVA, firstName: 'Ava', lastName: AVA_NAME, primaryObjectId: object.id, phone: '+1 555 555 0100', tagIds: [tag.id] })
  const bob = await t.ok('contacts.create', { email: BOB, firstName: 'Bob', lastName: 'Keeper', primaryObjectId: object.id })
  setConsent(ctx, ava.id, 'email', 'granted', 'form', t.clock.now() - 5000)
  setConsent(ctx, ava.id, 'sms', 'granted', 'manual', t.clock.now() - 4000)
  setConsent(ctx, ava.id, 'sms', 'revoked', 'inbound:STOP', t.clock.now() - 3000)
  await t.ok('notes.create', { contactId: ava.id, bodyHtml: `<p>Prefers mornings, ${AVA_NAME} said</p>` })
  await t.ok('tasks.create', { title: 'Call Ava back', contactId: ava.id, dueAt: new Date(t.clock.now() + 86_400_000).toISOString() })
  const pdf = attachment('invoice.pdf', `PDF for ${AVA} 0123456789`)
  storeMessages(ctx, inboxRef(mailbox.id), [
    msg({ from: addr(AVA, `Ava ${AVA_NAME}`), subject: 'Question about my booking', text: `Hi, this is Ava ${AVA_NAME} (${AVA})` }),
    msg({ from: addr(AVA, `Ava ${AVA_NAME}`), subject: 'Invoice attached', text: 'Here it is', attachments: [pdf] }),
    msg({ from: addr(BOB, 'Bob Keeper'), subject: 'Bob alone', text: 'Only Bob here' }),
    msg({ from: addr(BOB, 'Bob Keeper'), cc: [addr(AVA, `Ava ${AVA_NAME}`)], subject: 'Both of us', text: `Bob and Ava ${AVA_NAME} <${AVA}> together` }),
  ])
  storeMessages(ctx, sentRef(mailbox.id), [msg({ from: addr('hello@eve.test', 'Eve'), to: [addr(AVA, `Ava ${AVA_NAME}`)], subject: 'Re: Question about my booking', text: 'Sure thing' })])
  const sent = await t.ok('mail.send', { profileId: profile.id, to: [AVA], subject: `Offer for ${AVA_NAME}`, html: `<p>Dear Ava ${AVA_NAME}</p>`, contactId: ava.id })
  return { ctx, object, mailbox, profile, ava, bob, sent, pdf }
}

/** Every entry of a zip file: name → bytes. */
export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>()
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err)
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2)
          const parts: Buffer[] = []
          s.on('data', (b: Buffer) => parts.push(b))
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(parts))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(out))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

/** Files under `dir` (recursively) whose bytes contain any of `needles`, case-insensitively. */
export function filesContaining(dir: string, needles: string[]): string[] {
  const hits: string[] = []
  const lower = needles.map((n) => n.toLowerCase())
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      const st = statSync(p)
      if (st.isDirectory()) walk(p)
      else if (st.isFile()) {
        const text = readFileSync(p).toString('latin1').toLowerCase()
        for (const n of lower) if (text.includes(n)) hits.push(`${p.slice(dir.length + 1)}: ${n}`)
      }
    }
  }
  walk(dir)
  return hits
}
