// Enrol contacts into a sequence (the shared enrol dialog, calling sequences.enroll).
import type { JSX } from 'react'
import type { Sequence } from '../../../../shared/automation'
import { rpc } from '../../rpc'
import { EnrollContactsDialog } from '../automation/EnrollContactsDialog'

export function EnrollDialog({ sequence, onClose, onDone }: { sequence: Sequence; onClose: () => void; onDone: () => void }): JSX.Element {
  return (
    <EnrollContactsDialog
      into={sequence}
      enroll={async (who) => {
        const r = await rpc('sequences.enroll', { sequenceId: sequence.id, ...who })
        return { enrolled: r.enrolled, alreadyIn: r.alreadyEnrolled, skipped: r.skipped }
      }}
      onClose={onClose}
      onDone={onDone}
    />
  )
}
