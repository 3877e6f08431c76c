// The mailbox's Sent folder over IMAP: copies of what we sent are appended there, and after a crash we
// look there for what may have left. Work for one mailbox goes through one IMAP session at a time, fed by
// a queue: a busy turn records dozens of sends at once, and a login per message would pass many
// providers' limit on simultaneous connections (Gmail allows 15), where a refused login loses the copy.
import { ImapFlow } from 'imapflow'
import { imapOptions, type ImapServer } from '../imapOptions'

/** One piece of work in the Sent folder; `sent` is its path. */
export type SentJob<T> = (client: ImapFlow, sent: string) => Promise<T>

interface Queued {
  run: SentJob<unknown>
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

export function sentSessions(opts: { insecureTls?: boolean } = {}) {
  const queues = new Map<number, Queued[]>()
  const running = new Set<number>()

  /** Runs `job` in the mailbox's Sent session (opened if none is running); rejects if it fails. */
  function inSent<T>(mailboxId: number, settings: () => ImapServer, job: SentJob<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = queues.get(mailboxId) ?? []
      queues.set(mailboxId, queue)
      queue.push({ run: job, resolve: resolve as (v: unknown) => void, reject })
      if (!running.has(mailboxId)) void session(mailboxId, settings)
    })
  }

  async function session(mailboxId: number, settings: () => ImapServer): Promise<void> {
    running.add(mailboxId)
    const queue = queues.get(mailboxId)!
    try {
      // Settings are read when the session opens, so a changed password is used from the next one.
      await withImap(settings(), opts.insecureTls, async (client) => {
        const sent = await sentFolder(client)
        // Jobs queued while this session runs are taken by it too.
        for (let job = queue.shift(); job; job = queue.shift()) {
          try {
            job.resolve(await job.run(client, sent))
          } catch (err) {
            job.reject(err)
            if (!client.usable) throw err
          }
        }
      })
    } catch (err) {
      // No session (login refused, server down) or it broke: what is left fails now. A copy is then logged as
      // not kept; a search answers 'unknown', and the reconciler asks again later.
      for (let job = queue.shift(); job; job = queue.shift()) job.reject(err)
    } finally {
      running.delete(mailboxId)
      if (queue.length) void session(mailboxId, settings)
      else queues.delete(mailboxId)
    }
  }

  return { inSent }
}

async function withImap<T>(imap: ImapServer, insecureTls: boolean | undefined, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow(imapOptions(imap, { timeoutMs: 10_000, insecureTls }))
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.logout().catch(() => client.close())
  }
}

/** The special-use \Sent folder, or one named Sent (created if the account has none). */
async function sentFolder(client: ImapFlow): Promise<string> {
  const list = await client.list()
  const special = list.find((f) => f.specialUse === '\\Sent') ?? list.find((f) => /^(sent|sent items|sent messages)$/i.test(f.name))
  if (special) return special.path
  await client.mailboxCreate('Sent')
  return 'Sent'
}
