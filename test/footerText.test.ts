// The footer's text part is cached per business with its URL put back in: it must read exactly as
// htmlToText of the footer does, whatever the business's name, address and link hold.
import { describe, expect, it } from 'vitest'
import { htmlToText } from '../src/shared/htmlText'
import { footerHtml, footerText, unsubscribeTargets } from '../src/main/engine/automation/templates'

const objects = [
  { id: 1, name: 'Bench Biz', postalAddress: '1 Bench Rd', timezone: 'UTC', unsubscribeUrl: null },
  { id: 2, name: 'Tom & Jerry "Ltd" <west>', postalAddress: '', timezone: 'UTC', unsubscribeUrl: 'https://example.test/unsub?list=a&x=%26' },
  { id: 3, name: 'A  B\tC', postalAddress: 'Flat 2 &amp; 3, Rue d’Été', timezone: 'UTC', unsubscribeUrl: 'http://example.test/u#top' },
]
const contacts = [
  { id: 7, email: 'ann@client.test' },
  { id: 8, email: 'o&amp;b+tag@client.test' },
  { id: 9, email: null },
]

describe('footerText', () => {
  it('matches htmlToText of the footer for every business, link kind and contact', () => {
    let compared = 0
    for (const object of objects)
      for (const contact of contacts) {
        const { url } = unsubscribeTargets(object, { objectId: object.id, email: 'box@biz.test', displayName: 'Box', replyTo: null }, contact)
        // Twice: the second answer comes from the cache.
        for (let i = 0; i < 2; i++) expect(footerText(object, url)).toBe(htmlToText(footerHtml(object, url)))
        compared++
      }
    expect(compared).toBe(9)
  })

  it('puts each contact’s own link in, never the first one cached', () => {
    const o = objects[1]!
    const a = footerText(o, 'https://example.test/unsub?c=1')
    const b = footerText(o, 'https://example.test/unsub?c=2&e=$&')
    expect(a).toContain('(https://example.test/unsub?c=1)')
    expect(b).toContain('(https://example.test/unsub?c=2&e=$&)')
  })
})
