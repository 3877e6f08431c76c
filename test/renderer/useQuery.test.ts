// @vitest-environment jsdom
// The renderer's data hook through the app's own transport seam (window.switchboard, the bridge Electron's
// preload provides): answers are released by the test in any order, events are pushed like the engine does.
// It must drop an answer a newer load has overtaken, keep the old data while reloading, coalesce a burst of
// events into one reload, and reload only on the events (and payloads) it was given.
import { act, createElement, type JSX } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Remote } from '../../src/renderer/src/lib/useQuery'
import type { Result } from '../../src/shared/result'

interface Pending {
  method: string
  input: unknown
  answer: (value: unknown) => void
  fail: (code: string, message: string) => void
}
const calls: Pending[] = []
const listeners = new Set<(event: string, payload: unknown) => void>()
const emit = (event: string, payload: unknown) => act(() => listeners.forEach((l) => l(event, payload)))

let useQuery: typeof import('../../src/renderer/src/lib/useQuery').useQuery
beforeAll(async () => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  window.switchboard = {
    invoke: (method, input) =>
      new Promise<Result<unknown>>((resolve) =>
        calls.push({
          method,
          input,
          answer: (value) => resolve({ ok: true, value }),
          fail: (code, message) => resolve({ ok: false, error: { code: code as 'NOT_FOUND', message } }),
        }),
      ),
    on: (l) => (listeners.add(l), () => listeners.delete(l)),
  }
  // rpc.ts picks its transport when first imported: after the bridge is in place.
  ;({ useQuery } = await import('../../src/renderer/src/lib/useQuery'))
})

let root: Root
let seen: Remote<unknown>
function Probe({ id, events, when }: { id: number | null; events?: 'plain' | 'filtered'; when?: (ids: number[]) => boolean }): JSX.Element {
  seen = useQuery('outbox.get', id === null ? null : { id }, {
    events: events === 'filtered' ? [{ event: 'outbox.changed', when: (p) => when!(p.ids) }] : ['outbox.changed', 'transport.open'],
    delayMs: 200,
  }) as Remote<unknown>
  return createElement('span')
}
const render = (props: Parameters<typeof Probe>[0]) => act(() => root.render(createElement(Probe, props)))
const answer = (i: number, value: unknown) => act(async () => calls[i]!.answer(value))

beforeEach(() => {
  calls.length = 0
  vi.useFakeTimers()
  root = createRoot(document.createElement('div'))
})
afterEach(() => {
  act(() => root.unmount())
  vi.useRealTimers()
})

describe('useQuery', () => {
  it('drops a slow older answer that arrives after a newer one', async () => {
    render({ id: 1 })
    render({ id: 2 })
    expect(calls.map((c) => c.input)).toEqual([{ id: 1 }, { id: 2 }])
    await answer(1, 'second')
    expect(seen.data).toBe('second')
    await answer(0, 'first (stale)')
    expect(seen.data).toBe('second')
    expect(seen.loading).toBe(false)
  })

  it('an older failure after a newer answer is dropped too', async () => {
    render({ id: 1 })
    render({ id: 2 })
    await answer(1, 'second')
    await act(async () => calls[0]!.fail('NOT_FOUND', 'gone'))
    expect(seen).toMatchObject({ data: 'second', error: null, errorCode: null })
  })

  it('reloads once for a burst of events, keeping the old data (no flash) until the answer', async () => {
    render({ id: 1 })
    await answer(0, 'v1')
    emit('outbox.changed', { ids: [1] })
    emit('outbox.changed', { ids: [1] })
    emit('transport.open', {})
    expect(calls).toHaveLength(1) // coalesced: nothing before the delay
    await act(async () => vi.advanceTimersByTime(200))
    expect(calls).toHaveLength(2)
    expect(seen).toMatchObject({ data: 'v1', loading: true })
    await answer(1, 'v2')
    expect(seen).toMatchObject({ data: 'v2', loading: false })
  })

  it('keeps reloading through a stream of events (a first sync), once per delay, not only after the stream ends', async () => {
    render({ id: 1 })
    await answer(0, 'v1')
    // An event every 20 ms for 1 s: a debounce that restarts on each event would not reload before the end.
    for (let i = 0; i < 50; i++) {
      emit('outbox.changed', { ids: [1] })
      await act(async () => vi.advanceTimersByTime(20))
    }
    expect(calls.length - 1).toBe(5) // at 200, 400, 600, 800 and 1000 ms
    await act(async () => vi.advanceTimersByTime(1000))
    expect(calls.length - 1).toBe(5) // nothing after the stream but the one already made
  })

  it('ignores events it was not given, and payloads its filter rejects', async () => {
    render({ id: 7, events: 'filtered', when: (ids) => ids.includes(7) })
    await answer(0, 'v1')
    emit('inbox.changed', { threadIds: [], newMessages: 0 })
    emit('outbox.changed', { ids: [8] })
    await act(async () => vi.advanceTimersByTime(1000))
    expect(calls).toHaveLength(1)
    emit('outbox.changed', { ids: [8, 7] })
    await act(async () => vi.advanceTimersByTime(200))
    expect(calls).toHaveLength(2)
  })

  it('an event reload overtaken by an input change is dropped', async () => {
    render({ id: 1 })
    await answer(0, 'one')
    emit('outbox.changed', { ids: [1] })
    await act(async () => vi.advanceTimersByTime(200))
    render({ id: 2 })
    await answer(2, 'two')
    await answer(1, 'one, reloaded (stale)')
    expect(seen.data).toBe('two')
  })

  it('reports errors in words with their code, and loads nothing while its input is null', async () => {
    render({ id: null })
    expect(calls).toHaveLength(0)
    expect(seen).toMatchObject({ data: null, loading: false })
    render({ id: 3 })
    await act(async () => calls[0]!.fail('NOT_FOUND', 'That message no longer exists'))
    expect(seen).toMatchObject({ data: null, error: 'That message no longer exists', errorCode: 'NOT_FOUND', loading: false })
  })
})
