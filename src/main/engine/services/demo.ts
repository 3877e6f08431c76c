// The sample workspace behind `--demo` and the first-run "explore sample data" button: the three
// businesses of the Senova seed, about 50 contacts and a few tags, and (demoActivity.ts) the product at
// work: inbox mail, an autoresponder, a running sequence and a dashboard with data.
import { AppError } from '../../../shared/result'
import type { Ctx, Handlers } from '../context'
import { seedDemoActivity, seedDemoStudio, type DemoStudio } from './demoActivity'

const FIRST = ['Ava', 'Mia', 'Noah', 'Liam', 'Zoe', 'Emma', 'Olivia', 'Lucas', 'Sofia', 'Isla', 'Mateo', 'Chloe', 'Hana', 'Yuki', 'Amara', 'Leo', 'Nora', 'Ivy']
const LAST = ['Nguyen', 'Garcia', 'Smith', 'Kim', 'Patel', 'Rossi', 'Okafor', 'Silva', 'Tanaka', 'Murphy', 'Cohen', 'Dubois', 'Novak', 'Haddad']
const COMPANIES = ['', '', 'Glow Studio', 'Harbor Dental', 'Bloom & Co', 'Pine Street Salon', 'Northwind Spa', '']
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', null]

export async function seedDemo(ctx: Ctx, h: Handlers): Promise<{ objects: number; contacts: number }> {
  const count = (ctx.sqlite.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n
  if (count > 0) throw new AppError('CONFLICT', 'This workspace already has businesses; sample data is only added to an empty one')
  const specs = [
    { name: 'Eve Beauty MA', profile: 'evebeauty@senovallc.com', display: 'Eve Beauty', zone: 'America/New_York', address: '12 Elm Street, Boston, MA 02108' },
    { name: 'Hana Beauty', profile: 'hanabeauty@senovallc.com', display: 'Hana Beauty', zone: 'America/Los_Angeles', address: '480 Sunset Blvd, Los Angeles, CA 90028' },
    { name: 'Moda Beauty', profile: 'modabeauty@senovallc.com', display: 'Moda Beauty', zone: 'America/Chicago', address: '77 Lake Shore Dr, Chicago, IL 60611' },
  ]
  const tagNames = ['Eve Beauty MA Promotional Holiday Form Submission', 'VIP', 'Newsletter', 'New client', 'Lapsed']
  const tagIds: number[] = []
  for (const name of tagNames) tagIds.push((await h['tags.create'](ctx, { name })).id)

  let contacts = 0
  let studio: DemoStudio | null = null
  for (const [i, spec] of specs.entries()) {
    const obj = await h['objects.create'](ctx, { name: spec.name, postalAddress: spec.address, timezone: spec.zone })
    if (i === 0) studio = await seedDemoStudio(ctx, h, obj.id)
    // The sending domain differs from the profile's domain on purpose (seed 000's rule).
    await h['mailgun.upsert'](ctx, { objectId: obj.id, sendingDomain: 'mg.senovallc.com', apiKey: 'demo-key-not-a-real-mailgun-key', region: 'us' })
    await h['profiles.create'](ctx, { objectId: obj.id, email: spec.profile, displayName: spec.display, replyTo: null, transport: { kind: 'mailgun' }, isActive: true })
    const perObject = [20, 16, 14][i]
    for (let n = 0; n < perObject; n++) {
      const k = i * 31 + n * 7
      const first = FIRST[k % FIRST.length]
      const last = LAST[(k * 3 + n) % LAST.length]
      const tags = tagIds.filter((_, t) => (n + t * 2 + i) % (t === 0 ? 4 : 5) === 0)
      await h['contacts.create'](ctx, {
        email: `${first}.${last}${n}@example.com`.toLowerCase(),
        firstName: first,
        lastName: last,
        company: COMPANIES[k % COMPANIES.length],
        phone: `+1 555 010 01${String(10 + ((k * 13) % 90))}`,
        timezone: ZONES[k % ZONES.length],
        primaryObjectId: obj.id,
        fields: n % 3 === 0 ? { 'Favourite service': ['Facial', 'Manicure', 'Massage'][(n / 3) % 3] } : {},
        extraEmails: [],
        tagIds: tags,
      })
      contacts++
    }
  }
  // Mail in the inbox, an autoresponder, a running sequence and weeks of activity (demoActivity.ts).
  await seedDemoActivity(ctx, h, studio!, { newClient: tagIds[3]! })
  return { objects: specs.length, contacts }
}
