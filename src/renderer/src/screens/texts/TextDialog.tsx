// The contact page's "Text": SMS or WhatsApp with this contact, the conversation and the composer (TextThread).
import { useState, type JSX } from 'react'
import type { TextChannel } from '../../../../shared/channels'
import { Dialog } from '../../components/Dialog'
import { Segmented } from '../../components/Segmented'
import { CHANNEL_NAME, TextThread, type TextContact } from './TextThread'

export function TextDialog({ contact, onClose }: { contact: TextContact; onClose: () => void }): JSX.Element {
  const [channel, setChannel] = useState<TextChannel>('sms')
  return (
    <Dialog title={`Text ${contact.name}`} onClose={onClose} size="lg" className="text-dialog">
      <div className="text-dialog-head">
        <Segmented
          label="Channel"
          value={channel}
          onChange={(c: TextChannel) => setChannel(c)}
          options={(['sms', 'whatsapp'] as const).map((c) => ({ value: c, label: CHANNEL_NAME[c] }))}
        />
      </div>
      <TextThread contact={contact} channel={channel} autoFocus />
    </Dialog>
  )
}
