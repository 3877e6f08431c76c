// Enrol contacts into a running flow (the shared enrol dialog, calling flows.enroll: by hand, tag or segment).
import type { JSX } from 'react'
import type { Flow } from '../../../../shared/flows'
import { rpc } from '../../rpc'
import { EnrollContactsDialog } from '../automation/EnrollContactsDialog'

export function FlowEnrollDialog({ flow, onClose }: { flow: Flow; onClose: () => void }): JSX.Element {
  return <EnrollContactsDialog into={flow} enroll={(who) => rpc('flows.enroll', { flowId: flow.id, ...who })} onClose={onClose} />
}
