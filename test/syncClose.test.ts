// A mailbox's settings change that lands while the engine closes (a request still in flight, a restore swapping
// the database) must not touch the closed database: it threw from a setImmediate, an uncaught error in the host.
import { expect, it } from 'vitest'
import { freshEngine } from './helpers'

it('a settings change arriving as the engine closes touches nothing', async () => {
  const t = freshEngine()
  const object = await t.ok('objects.create', { name: 'Eve Beauty', timezone: 'UTC' })
  const box = await t.ok('mailboxes.create', { objectId: object.id, email: 'hello@eve.test', smtp: { host: '127.0.0.1', port: 9, secure: 'none', user: 'hello', password: 'pw' }, imap: null })
  const errors: unknown[] = []
  const onError = (err: unknown) => errors.push(err)
  process.prependListener('uncaughtException', onError)
  try {
    await t.engine.close()
    t.engine.inbound.sync.settingsChanged(box.id)
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r))
  } finally {
    process.off('uncaughtException', onError)
  }
  expect(errors.map(String)).toEqual([])
})
