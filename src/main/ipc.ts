// The Electron transport: ipcMain.handle over the same dispatch the web host uses. Only the app's own
// top-level frame may call it (after VS Code's validatedIpcMain).
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { Engine } from './engine'

const INVOKE = 'sb:invoke'
const EVENT = 'sb:event'

export function wireIpc(engine: Engine, window: BrowserWindow, isOwnUrl: (url: string) => boolean): () => void {
  ipcMain.handle(INVOKE, (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null || event.sender !== window.webContents || !isOwnUrl(frame.url)) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: 'Refused: the call did not come from Switchboard’s own window' } }
    }
    return engine.dispatch(method, input)
  })
  const unsubscribe = engine.subscribe((e) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT, e.event, e.payload)
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(INVOKE)
  }
}
