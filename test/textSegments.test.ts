// SMS segment counting (issue 17): GSM-7 160/153 with the extension table counting two, UCS-2 70/67 with
// surrogate pairs counted as two units and never split.
import { describe, expect, it } from 'vitest'
import { segmentLabel, textSegments, fixedPart } from '../src/shared/textSegments'

describe('textSegments', () => {
  it('counts GSM-7 at 160 in one part and 153 per part after', () => {
    expect(textSegments('')).toMatchObject({ segments: 0, units: 0, encoding: 'GSM-7' })
    expect(textSegments('Hi Ann')).toMatchObject({ segments: 1, units: 6, remaining: 154, encoding: 'GSM-7' })
    expect(textSegments('a'.repeat(160))).toMatchObject({ segments: 1, units: 160, remaining: 0 })
    expect(textSegments('a'.repeat(161))).toMatchObject({ segments: 2, units: 161, remaining: 145 })
    expect(textSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 })
    expect(textSegments('a'.repeat(307))).toMatchObject({ segments: 3 })
    // the accented letters in the basic alphabet stay GSM-7
    expect(textSegments('Café à Zürich, £5 ¿ok? ÑÅΔ@')).toMatchObject({ encoding: 'GSM-7', segments: 1 })
  })

  it('counts extension characters as two septets and never splits them', () => {
    expect(textSegments('€')).toMatchObject({ units: 2, encoding: 'GSM-7' })
    expect(textSegments('{[~]}|^\\')).toMatchObject({ units: 16 })
    expect(textSegments('a'.repeat(158) + '€')).toMatchObject({ segments: 1, units: 160 })
    expect(textSegments('a'.repeat(159) + '€')).toMatchObject({ segments: 2, units: 161 })
    // 152 septets then an escape pair: the pair moves whole to part two
    expect(textSegments('a'.repeat(152) + '€' + 'a'.repeat(10))).toMatchObject({ segments: 2, units: 164, remaining: 153 - 12 })
  })

  it('switches the whole text to UCS-2 at 70/67 and names what caused it', () => {
    const curly = 'It’s ready'
    expect(textSegments(curly)).toMatchObject({ encoding: 'UCS-2', units: 10, segments: 1, unicodeChars: ['’'] })
    expect(textSegments('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 })
    expect(textSegments('ç'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 })
    expect(textSegments('ç'.repeat(134))).toMatchObject({ segments: 2, remaining: 0 })
    expect(textSegments('ç'.repeat(135))).toMatchObject({ segments: 3 })
  })

  it('counts a surrogate pair as two units and keeps it in one part', () => {
    expect(textSegments('👍')).toMatchObject({ encoding: 'UCS-2', units: 2, unicodeChars: ['👍'] })
    expect(textSegments('👍'.repeat(35))).toMatchObject({ units: 70, segments: 1 })
    expect(textSegments('👍'.repeat(36))).toMatchObject({ units: 72, segments: 2 })
    // 66 units then a pair: 68 > 67, so the pair starts part two instead of being cut in half
    expect(textSegments('a'.repeat(66) + '👍' + 'a'.repeat(5))).toMatchObject({ units: 73, segments: 2, remaining: 67 - 7 })
  })

  it('labels the counter the way the composer shows it', () => {
    expect(segmentLabel(textSegments('x'))).toBe('1 of 160 · GSM-7')
    expect(segmentLabel(textSegments('é'.repeat(200)))).toBe('2 segments · GSM-7')
    expect(segmentLabel(textSegments('ç'))).toBe('1 of 70 · Unicode')
    expect(segmentLabel(textSegments('ç'.repeat(100)))).toBe('2 segments · Unicode')
  })
})

describe('textSegments outside the alphabet', () => {
  it('treats í (not in GSM-7, unlike ì) as Unicode', () => {
    expect(textSegments('sí')).toMatchObject({ encoding: 'UCS-2', unicodeChars: ['í'] })
    expect(textSegments('sì')).toMatchObject({ encoding: 'GSM-7' })
  })
})

describe('fixedPart', () => {
  it('takes {{variables}} (and {{{triple}}} ones, and helpers with arguments) out of what is counted', () => {
    expect(fixedPart('Hi {{contact.first_name}}, time for your check-up. Reply to book.')).toEqual({ text: 'Hi , time for your check-up. Reply to book.', variables: 1 })
    expect(fixedPart('{{{contact.company}}} {{default contact.first_name "there"}}!')).toEqual({ text: ' !', variables: 2 })
    expect(fixedPart('No variables {here}')).toEqual({ text: 'No variables {here}', variables: 0 })
  })
})
