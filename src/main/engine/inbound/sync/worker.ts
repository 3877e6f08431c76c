// One mailbox's sync worker: a single imapflow connection that syncs every folder once, then sits in
// IDLE on INBOX (woken by EXISTS/EXPUNGE/FETCH pushes, "sync now", queued \Seen changes, or the poll
// timer for the other folders). A server without IDLE, or without CONDSTORE (old servers such as Courier,
// whose IDLE may itself be a slow poll), gets INBOX checked with a NOOP every inboxPollMs. Connection failures reconnect with exponential backoff; a refused
// login stops the worker until the mailbox's IMAP settings change.
import { describeServerError } from '../../../../shared/serverErrors'
import { ImapFlow, type StatusObject } from 'imapflow'
import type { Ctx } from '../../context'
import { imapOptions } from '../../imapOptions'
import { syncFolder, type FolderSyncDeps } from './folder'
import type { ParsePool } from './pool'
import { pushChanges, recordFolders } from './push'
import { roleOf } from '../../repos/folders'
import { getFolder, getMailboxSync, loadImapConfig, saveMailboxSync, type FolderRole, type ImapConfig } from './state'
import { stmt } from '../../db/stmt'
import type { StoreApi } from './storeApi'
import { EtaEstimator } from './eta'
import { windowSince } from './window'

export type SyncState = 'connecting' | 'syncing' | 'idle' | 'offline' | 'auth_error' | 'error' | 'disabled'

export interface WorkerStatus {
  state: SyncState
  progress: { folder: string; done: number; total: number; etaSeconds: number | null } | null
  lastSyncAt: number | null
  error: string | null
}

export interface WorkerOptions {
  /** How often Sent and the other folders are polled (INBOX is pushed). */
  pollMs: number
  /** Keep INBOX in IDLE (false: INBOX is polled like the rest). */
  idle: boolean
  insecureTls: boolean
  batchSize: number
  flagWindow: number
  /** Without CONDSTORE: older messages whose flags are re-read per pass (the whole folder over time). */
  flagChunk: number
  /** Without IDLE or CONDSTORE: how often INBOX is checked (NOOP), measured on the engine's clock. */
  inboxPollMs: number
  /** false: sync as if the server had no CONDSTORE (tests the flag-window path against Dovecot). */
  useCondstore: boolean
  backoffBaseMs: number
  backoffMaxMs: number
  connectTimeoutMs: number
  /** A first pass of at least this many messages leaves sanitising HTML to the background pass (folder.ts). */
  deferHtmlFrom?: number
  log(msg: string): void
}

type Reason = 'mail' | 'poll' | 'now' | 'flags' | 'closed' | 'inboxPoll'
type Folder = { path: string; role: FolderRole; status?: StatusObject; quiet?: boolean }

export class MailboxWorker {
  status: WorkerStatus = { state: 'connecting', progress: null, lastSyncAt: null, error: null }
  /** The settings key the worker runs with (the manager restarts it when that changes). */
  key: string | null = null
  private stopped = false
  private client: ImapFlow | null = null
  private reasons = new Set<Reason>()
  private wake: (() => void) | null = null
  private running: Promise<void> | null = null
  private lastPoll = 0
  private lastProgress = 0
  private waiters: Array<() => void> = []
  /** Per folder: where the next chunk of the no-CONDSTORE flag resync starts (see folder.ts). */
  private flagCursor = new Map<string, number>()
  /** Engine-clock time of the last INBOX check (for the NOOP poll of servers that do not push). */
  private lastInboxCheck = 0
  /** The time left of a first sync, from its recent rate. */
  private eta = new EtaEstimator()

  constructor(
    private ctx: Ctx,
    readonly mailboxId: number,
    private pool: ParsePool,
    private store: StoreApi,
    private opts: WorkerOptions,
    private onStatus: (w: MailboxWorker) => void,
  ) {
    const saved = getMailboxSync(ctx, mailboxId)
    this.status.lastSyncAt = saved?.lastSyncAt ?? null
  }

  private finished = false

  start(): void {
    this.running ??= this.run()
      .catch((e) => this.opts.log(`sync ${this.mailboxId}: worker died: ${errText(e)}`))
      .finally(() => {
        this.finished = true
        for (const w of this.waiters.splice(0)) w()
      })
  }

  /** Closes the connection (breaking IDLE) and waits for the loop to end. Never hangs on the server. */
  async stop(): Promise<void> {
    this.stopped = true
    this.signal('now')
    const c = this.client
    if (c) await Promise.race([c.logout().catch(() => {}), delay(1500)]).finally(() => c.close())
    await this.running
    for (const w of this.waiters.splice(0)) w()
  }

  /** "Sync now": every folder, at once. Resolves when that pass is over (or the worker stops). */
  syncNow(): Promise<void> {
    if (this.finished) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiters.push(resolve)
      this.signal('now')
    })
  }

  /** Something changed locally (\Seen, a star or a move queued): push it at the next chance. */
  nudge(): void {
    if (!this.client) return
    if (stmt(this.ctx.sqlite, 'SELECT 1 FROM pending_moves WHERE mailbox_id = ? LIMIT 1').get(this.mailboxId) || this.store.pendingFlagOps(this.ctx, this.mailboxId).length)
      this.signal('flags')
  }

  private signal(r: Reason, from?: ImapFlow): void {
    if (from && from !== this.client) return // a late event from a connection already given up
    this.reasons.add(r)
    const w = this.wake
    this.wake = null
    w?.()
  }

  private setStatus(patch: Partial<WorkerStatus>): void {
    const before = JSON.stringify(this.status)
    Object.assign(this.status, patch)
    if (JSON.stringify(this.status) === before) return
    if (patch.state || patch.error !== undefined || patch.lastSyncAt !== undefined) {
      saveMailboxSync(this.ctx, this.mailboxId, { state: this.status.state, error: this.status.error, lastSyncAt: this.status.lastSyncAt })
    }
    this.onStatus(this)
  }

  // ------------------------------------------------------------------ the loop

  private async run(): Promise<void> {
    let attempt = 0
    let backoff = 0
    while (!this.stopped) {
      if (backoff) await this.sleep(backoff, true)
      backoff = 0
      if (this.stopped) break
      const cfg = loadImapConfig(this.ctx, this.mailboxId)
      this.key = cfg?.key ?? null
      if (!cfg) return this.setStatus({ state: 'disabled', error: null, progress: null })
      const saved = getMailboxSync(this.ctx, this.mailboxId)
      if (saved?.authFailedKey === cfg.key) {
        // Same settings that were refused before: retrying would only lock the account out.
        return this.setStatus({ state: 'auth_error', error: saved.error ?? 'The server refused the login', progress: null })
      }
      try {
        this.setStatus({ state: 'connecting' })
        const client = this.connectClient(cfg)
        this.client = client
        this.reasons.delete('closed')
        await client.connect()
        if (this.stopped) break
        attempt = 0
        if (saved?.authFailedKey) saveMailboxSync(this.ctx, this.mailboxId, { authFailedKey: null })
        await this.session(client)
      } catch (e) {
        if (this.stopped) break
        const kind = classify(e)
        // In words with what fixes it (the same mapping as sends and the set-up test).
        const said = describeServerError(e, { service: 'IMAP', host: cfg.host, port: cfg.port, security: cfg.security }).message
        if (kind === 'auth') {
          const message = said
          saveMailboxSync(this.ctx, this.mailboxId, { authFailedKey: cfg.key })
          this.setStatus({ state: 'auth_error', error: message, progress: null })
          this.opts.log(`sync ${this.mailboxId}: ${message} (not retrying until the settings change)`)
          return
        }
        this.setStatus({ state: kind === 'offline' ? 'offline' : 'error', error: said, progress: null })
        backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt) * (0.75 + Math.random() * 0.5)
        attempt = Math.min(attempt + 1, 20)
      } finally {
        const c = this.client
        this.client = null
        if (c) c.close()
      }
    }
  }

  private connectClient(cfg: ImapConfig): ImapFlow {
    const client = new ImapFlow({
      ...imapOptions(cfg, { timeoutMs: this.opts.connectTimeoutMs, insecureTls: this.opts.insecureTls }),
      // IDLE is started by this worker itself, right after each pass (auto-IDLE waits 15 s).
      disableAutoIdle: true,
    })
    client.on('error', (e: Error) => this.opts.log(`sync ${this.mailboxId}: ${errText(e)}`))
    client.on('close', () => this.signal('closed', client))
    client.on('exists', () => this.signal('mail', client))
    client.on('expunge', () => this.signal('mail', client))
    client.on('flags', () => this.signal('mail', client))
    return client
  }

  private async session(client: ImapFlow): Promise<void> {
    // The first pass fetches while the parse threads boot (its batches queue for them). They are ready
    // before IDLE, so the first new mail never waits for a thread to boot; a NOOP then collects what
    // arrived meanwhile (it is only reported in answer to a command).
    let folders = await this.pickFolders(client)
    await this.pass(client, folders, true)
    await this.pool.ready()
    if (client.usable) await client.noop()
    const inbox = folders.find((f) => f.role === 'inbox')
    const canIdle = client.capabilities.has('IDLE')
    // Without IDLE nothing is pushed; without CONDSTORE the IDLE may be the server's own slow poll (Courier: 60 s).
    const pollInbox = !!inbox && this.opts.idle && (!canIdle || !client.capabilities.has('CONDSTORE'))
    while (!this.stopped) {
      if (this.reasons.size === 0) {
        if (inbox && this.opts.idle && canIdle && client.usable) {
          if (!client.mailbox || client.mailbox.path !== inbox.path) {
            await client.mailboxOpen(inbox.path)
            // Mail that came since this pass synced INBOX shows only in the SELECT's counts, never as a push.
            if (this.inboxMoved(client, inbox.path)) {
              this.reasons.add('mail')
              continue
            }
          }
          // Not awaited: idle() only settles when the next command breaks it.
          client.idle().catch(() => this.signal('closed'))
        }
        const untilPoll = Math.max(0, this.lastPoll + this.opts.pollMs - Date.now())
        const due = pollInbox ? this.lastInboxCheck + this.opts.inboxPollMs : null
        const woke = await this.sleep(this.opts.idle ? untilPoll : Math.min(untilPoll, this.opts.pollMs), false, due)
        if (this.reasons.size === 0) this.reasons.add(woke === 'clock' ? 'inboxPoll' : 'poll')
      }
      const why = new Set(this.reasons)
      this.reasons.clear()
      if (this.stopped) return
      if (why.has('closed') || !client.usable) throw Object.assign(new Error('The IMAP connection closed'), { code: 'NoConnection' })
      const all = why.has('poll') || why.has('now') || Date.now() - this.lastPoll >= this.opts.pollMs
      // A full pass lists the folders again with their STATUS (one round trip): new folders are found,
      // unchanged ones are skipped without a SELECT.
      if (all) folders = await this.pickFolders(client)
      // "Sync now" selects INBOX afresh on servers without CONDSTORE (old servers that may never say its
      // UIDVALIDITY changed; the others end the session, or their STATUS already told).
      const reselect = why.has('now') && !client.enabled.has('CONDSTORE')
      // INBOX is always looked at (its STATUS is not trusted to skip it): a full pass that came before the
      // worker re-selected INBOX for IDLE would otherwise skip it, and "Sync now" would not check the inbox.
      const inboxChecked = (list: Folder[]) => list.map((f) => (f.role === 'inbox' ? { ...f, status: undefined } : f))
      const pushed = !all && [...why].every((r) => r === 'mail')
      await this.pass(client, inboxChecked(all ? folders : folders.filter((f) => f.role === 'inbox')), all, reselect, pushed)
    }
  }

  /** The selected INBOX has more or fewer messages, or a later UIDNEXT, than the last pass stored. */
  private inboxMoved(client: ImapFlow, path: string): boolean {
    const st = getFolder(this.ctx, this.mailboxId, path)
    const box = client.mailbox
    if (!st || !box || box.path !== path) return false
    return box.exists !== st.knownCount || (st.uidnext !== null && box.uidNext > st.uidnext)
  }

  /** One pass: queued moves and flag changes first, then the folders (INBOX first). */
  private async pass(client: ImapFlow, folders: Folder[], all: boolean, reselect = false, pushed = false): Promise<void> {
    const waiters = this.waiters.splice(0)
    try {
      await pushChanges(this.ctx, client, this.mailboxId, this.store, this.opts.log)
      const deps: FolderSyncDeps = {
        ctx: this.ctx,
        client,
        pool: this.pool,
        store: this.store,
        mailboxId: this.mailboxId,
        batchSize: this.opts.batchSize,
        flagWindow: this.opts.flagWindow,
        useCondstore: this.opts.useCondstore,
        flagChunk: this.opts.flagChunk,
        deferHtmlFrom: this.opts.deferHtmlFrom,
        flagCursor: this.flagCursor,
        reselect,
        pushed,
        since: windowSince(this.ctx, this.mailboxId),
        onProgress: (p) => {
          // At most ~4 progress events a second: each one is a status read and a push to every window.
          const now = Date.now()
          if (p && p.done < p.total && now - this.lastProgress < 250) return
          this.lastProgress = now
          this.setStatus({ state: p ? 'syncing' : this.status.state, progress: p && { ...p, etaSeconds: this.eta.estimate(p, now) } })
        },
        isStopped: () => this.stopped,
      }
      for (const f of folders) {
        if (this.stopped) return
        if (f.role === 'inbox') this.lastInboxCheck = this.ctx.clock.now()
        await syncFolder(deps, f.path, f.role, f.status, f.quiet)
      }
      if (all) this.lastPoll = Date.now()
      this.setStatus({ state: 'idle', error: null, progress: null, lastSyncAt: this.ctx.clock.now() })
      if (!getMailboxSync(this.ctx, this.mailboxId)?.firstSyncDone) saveMailboxSync(this.ctx, this.mailboxId, { firstSyncDone: true })
    } finally {
      for (const w of waiters) w()
    }
  }

  /**
   * INBOX, the Sent folder (special-use \Sent or named Sent) and every other subscribed, selectable folder
   * (Archive, Trash and Junk included, so triage done elsewhere shows; Drafts and All Mail are not mail to
   * triage). Every listed folder is recorded for folders.list.
   */
  private async pickFolders(client: ImapFlow): Promise<Folder[]> {
    const list = await client.list({ statusQuery: { messages: true, uidNext: true, uidValidity: true, highestModseq: true } })
    const selectable = list.filter((f) => !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'))
    const inbox = selectable.find((f) => f.path.toUpperCase() === 'INBOX')
    const sent = selectable.find((f) => f.specialUse === '\\Sent') ?? selectable.find((f) => /^(sent|sent items|sent messages)$/i.test(f.name))
    const skip = new Set(['\\Drafts', '\\All'])
    const out: Folder[] = []
    if (inbox) out.push({ path: inbox.path, role: 'inbox', status: inbox.status })
    if (sent) out.push({ path: sent.path, role: 'sent', status: sent.status })
    for (const f of selectable) {
      if (f === inbox || f === sent || f.subscribed === false || (f.specialUse && skip.has(f.specialUse))) continue
      const r = roleOf(f.path, f.specialUse ?? null)
      out.push({ path: f.path, role: 'other', status: f.status, quiet: r === 'trash' || r === 'junk' })
    }
    recordFolders(this.ctx, this.mailboxId, list, new Map(out.map((f) => [f.path, f.role])))
    return out
  }

  /**
   * Waits `ms` or until signalled ("sync now" cuts a backoff short), or until the engine's clock reaches
   * `clockDue` (looked at every second, so a test clock moved by clock.advance is noticed too).
   */
  private sleep(ms: number, backoff: boolean, clockDue: number | null = null): Promise<'timer' | 'clock' | 'signal'> {
    if (this.stopped) return Promise.resolve('signal')
    if (backoff) this.reasons.clear()
    else if (this.reasons.size) return Promise.resolve('signal')
    if (clockDue !== null && this.ctx.clock.now() >= clockDue) return Promise.resolve('clock')
    return new Promise((resolve) => {
      const t = setTimeout(() => done('timer'), ms)
      const tick = clockDue === null ? null : setInterval(() => this.ctx.clock.now() >= clockDue && done('clock'), CLOCK_TICK_MS)
      const self = this
      function done(why: 'timer' | 'clock' | 'signal') {
        clearTimeout(t)
        if (tick) clearInterval(tick)
        if (self.wake === wake) self.wake = null
        resolve(why)
      }
      const wake = () => done('signal')
      this.wake = wake
    })
  }
}

type FailureKind = 'auth' | 'offline' | 'error'

function classify(e: unknown): FailureKind {
  const err = e as { authenticationFailed?: boolean; serverResponseCode?: string; tlsFailed?: boolean; code?: string; message?: string }
  if (err.authenticationFailed || err.serverResponseCode === 'AUTHENTICATIONFAILED' || err.serverResponseCode === 'AUTHORIZATIONFAILED') return 'auth'
  if (err.tlsFailed || /certificate|self[- ]signed/i.test(err.message ?? '')) return 'auth'
  const net = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'NoConnection', 'EConnectionClosed', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ETIMEOUT']
  return net.includes(err.code ?? '') ? 'offline' : 'error'
}

const errText = (e: unknown): string => {
  const err = e as { responseText?: string; message?: string }
  return (err.responseText || err.message || String(e)).replace(/\s+/g, ' ').slice(0, 300)
}

const CLOCK_TICK_MS = 1000

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.())
