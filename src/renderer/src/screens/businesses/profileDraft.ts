// What the two sender-profile forms (the business's profile dialog, the set-up wizard's last step) send:
// the "Send through" select holds 'mailgun' or 'smtp:<mailbox id>', and a blank reply-to means none.
export interface ProfileDraft {
  email: string
  displayName: string
  replyTo: string
  transport: string
}

export function profileInput(d: ProfileDraft) {
  return {
    email: d.email,
    displayName: d.displayName,
    replyTo: d.replyTo.trim() ? d.replyTo : null,
    transport: d.transport === 'mailgun' ? { kind: 'mailgun' as const } : { kind: 'smtp' as const, mailboxId: Number(d.transport.slice(5)) },
  }
}
