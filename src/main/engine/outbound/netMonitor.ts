// Connectivity, as far as sending is concerned. Two signals: the host's own online/offline events
// (Electron's `online`/`offline`, through EngineOptions), and what sends observe per server. While a server
// is unreachable a probe tries a plain TCP connect; when it answers, the rows held for it are resumed.
import { connect } from 'node:net'
import type { NetStatus } from '../../../shared/outbound'
import { iso } from '../clock'
import type { Clock } from '../clock'
import type { Endpoint } from './transport'

interface State {
  endpoint: Endpoint
  online: boolean
  since: number
  lastError: string | null
  /** The problem's code (shared/serverErrors): NETWORK is the network; CONNECTION_REFUSED, DNS, TIMEOUT the server's address. */
  code: string | null
}

export interface NetMonitor {
  isOnline(key: string): boolean
  hostOnline(): boolean
  markOffline(endpoint: Endpoint, error: string, code?: string | null): void
  /**
   * Why rows for this server wait: 'offline' when the computer or the network is down, 'unreachable' when
   * the network works but this server's address does not answer (a wrong host or port is the usual cause).
   */
  holdReason(key: string): 'offline' | 'unreachable'
  /** What is wrong with this server while it is down: the problem's code and words, from its last failure. */
  problem(key: string): { code: string | null; message: string | null } | null
  /** Forgets servers nothing sends through any more (settings changed): their old errors are not the truth now. */
  retain(keys: ReadonlySet<string>): void
  markOnline(endpoint: Endpoint): void
  setHostOnline(online: boolean): void
  status(held: number): NetStatus
  /** Tries every offline server now (the probe timer does this on its own). */
  probe(): Promise<void>
  close(): void
}

export function netMonitor(clock: Clock, opts: { probeMs: number; onChange: (restored: string[] | 'all') => void }): NetMonitor {
  const states = new Map<string, State>()
  let host = true
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const schedule = () => {
    if (closed || timer || ![...states.values()].some((s) => !s.online)) return
    timer = setTimeout(() => {
      timer = undefined
      void probe().finally(schedule)
    }, opts.probeMs)
    timer.unref?.()
  }

  const set = (endpoint: Endpoint, online: boolean, error: string | null, code: string | null = null): boolean => {
    const s = states.get(endpoint.key)
    if (s && s.online === online) {
      if (error) Object.assign(s, { lastError: error, code })
      return false
    }
    states.set(endpoint.key, { endpoint, online, since: clock.now(), lastError: error, code })
    return !s || s.online !== online
  }

  async function probe(): Promise<void> {
    const offline = [...states.values()].filter((s) => !s.online)
    const restored: string[] = []
    await Promise.all(
      offline.map(async (s) => {
        if (await reachable(s.endpoint.host, s.endpoint.port)) {
          set(s.endpoint, true, null)
          restored.push(s.endpoint.key)
        }
      }),
    )
    if (restored.length) opts.onChange(restored)
  }

  return {
    isOnline: (key) => host && (states.get(key)?.online ?? true),
    hostOnline: () => host,
    markOffline(endpoint, error, code = null) {
      if (set(endpoint, false, error, code)) opts.onChange([])
      schedule()
    },
    holdReason(key) {
      const code = states.get(key)?.code
      return !host || !code || code === 'NETWORK' ? 'offline' : 'unreachable'
    },
    problem(key) {
      const s = states.get(key)
      return s && !s.online ? { code: s.code, message: s.lastError } : null
    },
    retain(keys) {
      let dropped = false
      for (const key of [...states.keys()]) if (!keys.has(key)) dropped = states.delete(key) || dropped
      if (dropped) opts.onChange([])
    },
    markOnline(endpoint) {
      const was = states.get(endpoint.key)
      if (was && !was.online && set(endpoint, true, null)) opts.onChange([endpoint.key])
    },
    setHostOnline(online) {
      if (online === host) return
      host = online
      opts.onChange(online ? 'all' : [])
    },
    status: (held) => {
      const endpoints = [...states.values()].map((s) => ({ key: s.endpoint.key, label: s.endpoint.label, online: s.online, since: iso(s.since), lastError: s.lastError, code: s.code }))
      const anyReached = endpoints.length === 0 || endpoints.some((e) => e.online)
      return { online: host && anyReached, hostOnline: host, endpoints, held }
    },
    probe,
    close() {
      closed = true
      clearTimeout(timer)
    },
  }
}

function reachable(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port })
    const done = (ok: boolean) => {
      sock.destroy()
      resolve(ok)
    }
    sock.setTimeout(timeoutMs, () => done(false))
    sock.once('connect', () => done(true))
    sock.once('error', () => done(false))
  })
}
