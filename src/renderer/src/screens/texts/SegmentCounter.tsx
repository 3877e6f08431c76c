// The live segment counter under a text being typed (GSM-7 160/153, UCS-2 70/67): the composer's and the
// automation editors' text steps share it. {{Variables}} are filled per contact, so they are not counted as
// typed: the counter counts the fixed words and says each contact's values come on top.
import type { JSX } from 'react'
import { fixedPart, segmentLabel, textSegments } from '../../../../shared/textSegments'

export function SegmentCounter({ body, testId = 'segment-counter' }: { body: string; testId?: string }): JSX.Element {
  const fixed = fixedPart(body)
  const seg = textSegments(fixed.text)
  return (
    <span className="text-counter" aria-live="polite" data-testid={testId} title={fixed.variables ? 'Counted without the variables: each contact’s own values add to it' : undefined}>
      {segmentLabel(seg)}
      {fixed.variables > 0 && ' + variables'}
      {seg.unicodeChars.length > 0 && (
        <span className="text-counter-why">
          {' '}
          · {seg.unicodeChars.slice(0, 3).map((c) => `“${c}”`).join(' ')} {seg.unicodeChars.length === 1 ? 'makes' : 'make'} it Unicode
        </span>
      )}
    </span>
  )
}
