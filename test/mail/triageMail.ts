// Mail for the triage suites (vitest and Playwright alike: no vitest import here): messages APPENDed
// straight into a folder, and where a message is on the server.
import { MAIL, withImap, type MailUserName } from './servers'

type TriageUser = Extract<MailUserName, 'uma' | 'vera' | 'walt'>

let seq = 0
/** A small RFC 822 message with its own Message-ID. */
export function rfc822(subject: string, opts: { from?: string; to?: string; body?: string } = {}): { raw: string; messageId: string } {
  const messageId = `<t${Date.now().toString(36)}-${++seq}-${Math.random().toString(36).slice(2, 8)}@example.test>`
  const raw = [
    `From: ${opts.from ?? 'Walt Whitman <walt@example.test>'}`,
    `To: ${opts.to ?? 'uma@example.test'}`,
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body ?? `Body of ${subject}`,
    '',
  ].join('\r\n')
  return { raw, messageId }
}

/** APPENDs messages straight into a folder (faster than SMTP; still new mail to the sync). */
export async function appendMessages(user: TriageUser, folder: string, subjects: string[], flags: string[] = []): Promise<string[]> {
  return withImap(user, async (c) => {
    const ids: string[] = []
    for (const s of subjects) {
      // From someone else: mail from the mailbox's own address counts as sent by us (read, outbound).
      const m = rfc822(s, { to: MAIL.users[user].email, from: user === 'walt' ? 'Uma Thurman <uma@example.test>' : undefined })
      await c.append(folder, m.raw, flags)
      ids.push(m.messageId)
    }
    return ids
  })
}

/** UID of the message with this Message-ID in a folder on the server (null when it is not there). */
export async function serverUid(user: TriageUser, folder: string, messageId: string): Promise<{ uid: number; flags: Set<string> } | null> {
  return withImap(user, async (c) => {
    const box = await c.mailboxOpen(folder, { readOnly: true })
    if (box.exists === 0) return null
    const all = await c.fetchAll('1:*', { uid: true, envelope: true, flags: true })
    const m = all.find((x) => x.envelope?.messageId === messageId)
    return m ? { uid: m.uid, flags: m.flags ?? new Set() } : null
  })
}

