// The Electron host: one hardened window, the engine, and the IPC transport between them. One instance
// per user: a second launch focuses the first window (and the engine's own workspace lock refuses a web
// host on the same data dir).
import { app, BrowserWindow, dialog, net, powerMonitor, session, shell } from 'electron'
import { join } from 'node:path'
import { createEngine, type Engine } from './engine'
import { WorkspaceLockedError } from './engine/workspace/lock'
import { restoreBackup } from './engine/workspace/restore'
import { APP_ORIGIN, registerAppScheme, serveApp } from './appProtocol'
import { wireIpc } from './ipc'
import { safeStorageBox } from './safeStorageBox'
import { unreadIndicators } from './tray'

app.setName('Switchboard')
// Tests (and power users) may point the app at another workspace folder.
if (process.env.SWITCHBOARD_DATA_DIR) app.setPath('userData', process.env.SWITCHBOARD_DATA_DIR)
registerAppScheme()

/** Web content may ask for notifications (the new-mail notice) and nothing else. */
const ALLOWED_PERMISSIONS = new Set(['notifications'])
const RESTORE_ARG = '--restore='

let window: BrowserWindow | null = null
const showWindow = () => {
  if (!window || window.isDestroyed()) return
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

function openEngine(dataDir: string): Engine {
  // "Restore…" relaunches with --restore=FILE: the swap happens here, before the workspace is opened.
  const restore = process.argv.find((a) => a.startsWith(RESTORE_ARG))?.slice(RESTORE_ARG.length)
  if (restore) {
    try {
      restoreBackup(dataDir, restore)
    } catch (err) {
      dialog.showErrorBox('The backup was not restored', err instanceof Error ? err.message : String(err))
    }
  }
  const engine: Engine = createEngine({
    host: 'electron',
    dataDir,
    secrets: safeStorageBox(dataDir),
    migrationsDir: join(app.getAppPath(), 'resources', 'migrations'),
    version: app.getVersion(),
    restart: (file) => {
      const args = process.argv.slice(1).filter((a) => !a.startsWith(RESTORE_ARG))
      app.relaunch({ args: [...args, `${RESTORE_ARG}${file}`] })
      // After backups.restore has answered: the window shows "Restarting…" until the process goes.
      setImmediate(() => void engine.close().finally(() => app.exit(0)))
    },
  })
  return engine
}

async function boot(): Promise<void> {
  await app.whenReady()
  const dataDir = app.getPath('userData')
  let engine: Engine
  try {
    engine = openEngine(dataDir)
  } catch (err) {
    // The web host (npm run serve) has this workspace open: say so instead of failing every write.
    const message = err instanceof WorkspaceLockedError ? `${err.message}. Close it first, then start Switchboard again.` : String(err instanceof Error ? err.message : err)
    dialog.showErrorBox('Switchboard cannot open its workspace', message)
    app.exit(1)
    return
  }
  if (process.argv.includes('--demo')) {
    const info = await engine.dispatch('app.info', {})
    if (info.ok && (info.value as { firstRun: boolean }).firstRun) await engine.dispatch('app.seedDemo', {})
  }

  const devUrl = process.env.ELECTRON_RENDERER_URL
  const ownPrefix = devUrl ?? `${APP_ORIGIN}/`
  const isOwnUrl = (url: string) => url.startsWith(ownPrefix)
  // (URL.origin is "null" for a custom scheme, so the app's own origin is spelt out.)
  const ownOrigin = devUrl ? new URL(devUrl).origin : APP_ORIGIN
  serveApp(join(__dirname, '../renderer'), () => engine)

  const ses = session.defaultSession
  ses.setPermissionRequestHandler((wc, permission, cb, details) =>
    cb(ALLOWED_PERMISSIONS.has(permission) && wc === window?.webContents && isOwnUrl(details.requestingUrl)),
  )
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && requestingOrigin === ownOrigin)

  window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Switchboard',
    icon: join(app.getAppPath(), 'resources', 'icons', 'icon.png'),
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  const win = window

  // Links open in the user's browser; the app window never navigates away from the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e, url) => {
    if (!isOwnUrl(url)) e.preventDefault()
  })

  const unwire = wireIpc(engine, win, isOwnUrl)
  const indicators = unreadIndicators(win, () => engine, join(app.getAppPath(), 'resources', 'icons'), showWindow)
  const offBadge = engine.subscribe((e) => e.event === 'badge.changed' && indicators.update(e.payload.unreadThreads))
  win.once('ready-to-show', () => win.show())
  await win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`)

  // Chromium's view of connectivity, fed to the engine: offline holds mail, online resumes it at once.
  const onlineTimer = setInterval(() => engine.outbound.setHostOnline(net.isOnline()), 3000)
  powerMonitor.on('resume', () => engine.outbound.setHostOnline(net.isOnline()))

  app.on('window-all-closed', () => {
    clearInterval(onlineTimer)
    offBadge()
    indicators.destroy()
    unwire()
    void engine.close().finally(() => app.quit())
  })
}

if (!app.requestSingleInstanceLock()) {
  // Another Switchboard has this user's app open: it focuses its window (below); this one leaves.
  app.quit()
} else {
  app.on('second-instance', showWindow)
  void boot()
}
