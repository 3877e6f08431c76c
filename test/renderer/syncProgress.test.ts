// The sync indicator's words during a first sync (issue 23, item 6): done, total and the time left.
import { describe, expect, it } from 'vitest'
import { syncWords, timeLeft } from '../../src/renderer/src/lib/inbox'
import type { SyncStatus } from '../../src/shared/inbox'

const syncing = (progress: SyncStatus['progress']): SyncStatus => ({ mailboxId: 1, objectId: 1, email: 'a@b.test', state: 'syncing', progress, lastSyncAt: null, error: null, unread: 0 })

describe('sync progress in words', () => {
  it('says how many are done of how many, and the time left once it is known', () => {
    expect(syncWords(syncing({ folder: 'INBOX', done: 1200, total: 100000, etaSeconds: null })).detail).toBe('1,200 of 100,000')
    expect(syncWords(syncing({ folder: 'INBOX', done: 50000, total: 100000, etaSeconds: 95 })).detail).toBe('50,000 of 100,000 · about 2 min left')
    expect(syncWords(syncing({ folder: 'Sent', done: 10, total: 20, etaSeconds: 12 })).detail).toBe('Sent 10 of 20 · under a minute left')
    expect(syncWords(syncing({ folder: 'INBOX', done: 20, total: 20, etaSeconds: 0 })).detail).toBe('20 of 20')
  })
  it('rounds the time left as a person would say it', () => {
    expect(timeLeft(30)).toBe('under a minute left')
    expect(timeLeft(600)).toBe('about 10 min left')
    expect(timeLeft(3600)).toBe('about 1 h left')
    expect(timeLeft(5400)).toBe('about 1 h 30 min left')
  })
})
