// @vitest-environment jsdom
// The form action the create dialogs and the settings cards share: busy while it runs, errors cleared as it
// starts, a failure's field errors at the fields the form shows and the rest above the buttons, and busy
// left on after a success in a dialog (it closes) but ended in a card (it stays on screen).
import { act, createElement, type JSX } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { useFormAction as UseFormAction } from '../../src/renderer/src/lib/useAction'
import type { RpcError as RpcErrorClass } from '../../src/renderer/src/rpc'

let useFormAction: typeof UseFormAction
let RpcError: typeof RpcErrorClass
beforeAll(async () => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  window.switchboard = { invoke: () => new Promise(() => {}), on: () => () => {} }
  ;({ useFormAction } = await import('../../src/renderer/src/lib/useAction'))
  ;({ RpcError } = await import('../../src/renderer/src/rpc'))
})

type Hook = ReturnType<typeof UseFormAction>
let root: Root
let host: HTMLElement
let hook: Hook
function mount(stays: boolean): void {
  function Probe(): JSX.Element | null {
    hook = useFormAction((f) => f === 'name', { stays })
    return null
  }
  act(() => root.render(createElement(Probe)))
}
beforeEach(() => {
  host = document.createElement('div')
  document.body.append(host)
  root = createRoot(host)
})
afterEach(() => {
  act(() => root.unmount())
  host.remove()
})

const refused = () =>
  new RpcError({ code: 'VALIDATION', message: 'Check the form', fields: [{ field: 'name', message: 'Enter a name' }, { field: 'other', message: 'Not shown here' }] })

describe('useFormAction', () => {
  it('files a failure under the fields the form shows, the rest as the form error, and ends busy', async () => {
    mount(false)
    let fail!: (err: unknown) => void
    let running!: Promise<void>
    act(() => {
      running = hook.run(() => new Promise((_, reject) => (fail = reject)))
    })
    expect(hook.busy).toBe(true)
    await act(async () => {
      fail(refused())
      await running
    })
    expect(hook.busy).toBe(false)
    expect(hook.errors.fields).toEqual({ name: 'Enter a name' })
    expect(hook.errors.form).toBe('Not shown here')
  })

  it('clears the last errors when it starts again', async () => {
    mount(false)
    await act(() => hook.run(() => Promise.reject(refused())))
    expect(hook.errors.fields.name).toBe('Enter a name')
    act(() => void hook.run(() => new Promise(() => {})))
    expect(hook.errors.fields).toEqual({})
    expect(hook.errors.form).toBeNull()
  })

  it('stays busy after a success in a dialog, which closes then', async () => {
    mount(false)
    await act(() => hook.run(() => Promise.resolve()))
    expect(hook.busy).toBe(true)
  })

  it('ends busy after a success in a card that stays on screen', async () => {
    mount(true)
    await act(() => hook.run(() => Promise.resolve()))
    expect(hook.busy).toBe(false)
  })
})
