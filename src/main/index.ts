// The Electron host: one hardened window, the engine, and the IPC transport between them.
import { app, BrowserWindow, net, powerMonitor, session, shell } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createEngine } from './engine'
import { wireIpc } from './ipc'
import { safeStorageBox } from './safeStorageBox'

app.setName('Switchboard')
// Tests (and power users) may point the app at another workspace folder.
if (process.env.SWITCHBOARD_DATA_DIR) app.setPath('userData', process.env.SWITCHBOARD_DATA_DIR)

async function boot(): Promise<void> {
  await app.whenReady()
  const dataDir = app.getPath('userData')
  const engine = createEngine({
    host: 'electron',
    dataDir,
    secrets: safeStorageBox(dataDir),
    migrationsDir: join(app.getAppPath(), 'resources', 'migrations'),
    version: app.getVersion(),
  })
  if (process.argv.includes('--demo')) {
    const info = await engine.dispatch('app.info', {})
    if (info.ok && (info.value as { firstRun: boolean }).firstRun) await engine.dispatch('app.seedDemo', {})
  }

  // No permissions (camera, notifications…) are granted to web content.
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false))

  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Switchboard',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  const devUrl = process.env.ELECTRON_RENDERER_URL
  const indexFile = join(__dirname, '../renderer/index.html')
  const ownPrefix = devUrl ?? pathToFileURL(indexFile).href
  const isOwnUrl = (url: string) => url.startsWith(ownPrefix)

  // Links open in the user's browser; the app window never navigates away from the app.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (e, url) => {
    if (!isOwnUrl(url)) e.preventDefault()
  })

  const unwire = wireIpc(engine, window, isOwnUrl)
  window.once('ready-to-show', () => window.show())
  if (devUrl) await window.loadURL(devUrl)
  else await window.loadFile(indexFile)

  // Chromium's view of connectivity, fed to the engine: offline holds mail, online resumes it at once.
  const onlineTimer = setInterval(() => engine.outbound.setHostOnline(net.isOnline()), 3000)
  powerMonitor.on('resume', () => engine.outbound.setHostOnline(net.isOnline()))

  app.on('window-all-closed', () => {
    clearInterval(onlineTimer)
    unwire()
    void engine.close().finally(() => app.quit())
  })
}

void boot()
