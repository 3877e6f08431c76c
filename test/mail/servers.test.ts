// Integration: the real Postfix + Dovecot started by scripts/mailservers.sh (see test/mail/servers.ts).
// Sends alice -> bob and only looks for its own Message-IDs; never resets a mailbox.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAIL, ensureMailServers, messageIds, fetchMessages, smtpTransport, startSmtp, stopSmtp, waitFor } from './servers'

const send = (subject: string) =>
  smtpTransport('alice').sendMail({
    from: MAIL.users.alice.email,
    to: MAIL.users.bob.email,
    subject,
    text: `hello from the mailservers test (${subject})`,
  })

/** Resolves with the connect error code, or 'connected'. */
const connectResult = (port: number) =>
  new Promise<string>((resolve) => {
    const s = connect({ host: MAIL.host, port })
    s.once('connect', () => {
      s.destroy()
      resolve('connected')
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
  })

describe('mail servers (Postfix + Dovecot on 127.0.0.1)', () => {
  // the first start may apt-install dovecot + postfix
  beforeAll(ensureMailServers, 600_000)
  // whatever happens, leave SMTP running for the other test files
  afterAll(async () => {
    if ((await connectResult(MAIL.ports.smtp)) !== 'connected') await startSmtp()
  }, 60_000)

  it('delivers SMTP AUTH mail to the recipient INBOX', async () => {
    const subject = `delivery ${Date.now()}`
    const info = await send(subject)
    expect(info.accepted).toEqual([MAIL.users.bob.email])
    await waitFor(async () => (await messageIds('bob')).includes(info.messageId), { timeoutMs: 15_000, message: info.messageId })
    const msg = (await fetchMessages('bob')).find((m) => m.messageId === info.messageId)
    expect(msg).toMatchObject({ from: [MAIL.users.alice.email], to: [MAIL.users.bob.email], subject })
    expect(msg?.source).toContain('hello from the mailservers test')
  }, 30_000)

  it('stopSmtp refuses connections, startSmtp brings SMTP back', async () => {
    await stopSmtp()
    try {
      expect(await connectResult(MAIL.ports.smtp)).toBe('ECONNREFUSED')
      await expect(send('while stopped')).rejects.toThrow()
      // Dovecot is unaffected
      expect(await connectResult(MAIL.ports.imap)).toBe('connected')
    } finally {
      await startSmtp()
    }
    const info = await send(`after restart ${Date.now()}`)
    await waitFor(async () => (await messageIds('bob')).includes(info.messageId), { timeoutMs: 15_000, message: info.messageId })
  }, 60_000)
})
