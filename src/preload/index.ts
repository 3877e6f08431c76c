// The renderer's whole view of the main process: invoke(method, input) and on(listener). Nothing else
// crosses the bridge: no ipcRenderer, no channel names, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

const INVOKE = 'sb:invoke'
const EVENT = 'sb:event'

contextBridge.exposeInMainWorld('switchboard', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(INVOKE, method, input),
  on: (listener: (event: string, payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload)
    ipcRenderer.on(EVENT, wrapped)
    return () => ipcRenderer.removeListener(EVENT, wrapped)
  },
})
