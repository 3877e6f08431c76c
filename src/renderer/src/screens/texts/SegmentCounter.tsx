// The live segment counter under a text being typed (GSM-7 160/153, UCS-2 70/67): the composer's and the
// automation editors' text steps share it.
import type { JSX } from 'react'
import { segmentLabel, textSegments } from '../../../../shared/textSegments'

export function SegmentCounter({ body, testId = 'segment-counter' }: { body: string; testId?: string }): JSX.Element {
  const seg = textSegments(body)
  return (
    <span className="text-counter" aria-live="polite" data-testid={testId}>
      {segmentLabel(seg)}
      {seg.unicodeChars.length > 0 && (
        <span className="text-counter-why">
          {' '}
          · {seg.unicodeChars.slice(0, 3).map((c) => `“${c}”`).join(' ')} {seg.unicodeChars.length === 1 ? 'makes' : 'make'} it Unicode
        </span>
      )}
    </span>
  )
}
