// The tray icon and the dock/taskbar badge follow the unread conversation count the engine pushes
// ('badge.changed', first read with 'badge.get'). macOS shows the number beside the tray icon and on the
// dock, Linux on launchers that support it (app.setBadgeCount), Windows as an overlay dot on the taskbar.
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { Engine } from './engine'

export interface UnreadIndicators {
  update(unread: number): void
  destroy(): void
}

export function unreadIndicators(window: BrowserWindow, engine: () => Engine, iconsDir: string, show: () => void): UnreadIndicators {
  const trayIcon = nativeImage.createFromPath(join(iconsDir, 'tray.png'))
  const overlay = nativeImage.createFromPath(join(iconsDir, 'badge.png'))
  let tray: Tray | null = null
  try {
    tray = new Tray(trayIcon)
    tray.on('click', show)
  } catch {
    // Some Linux desktops have no tray; the badge and the window title still carry the count.
    tray = null
  }
  const label = (n: number) => (n === 0 ? 'No unread conversations' : n === 1 ? '1 unread conversation' : `${n} unread conversations`)

  function update(unread: number): void {
    const n = Math.max(0, Math.floor(unread))
    app.setBadgeCount(n)
    if (process.platform === 'win32' && !window.isDestroyed()) window.setOverlayIcon(n > 0 ? overlay : null, n > 0 ? label(n) : '')
    if (!tray) return
    tray.setToolTip(`Switchboard: ${label(n)}`)
    if (process.platform === 'darwin') tray.setTitle(n > 0 ? String(n) : '')
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Switchboard', click: show },
        { label: label(n), enabled: false },
        { type: 'separator' },
        { label: 'Quit Switchboard', role: 'quit' },
      ]),
    )
  }

  update(0)
  void engine()
    .dispatch('badge.get', {})
    .then((r) => r.ok && update((r.value as { unreadThreads: number }).unreadThreads))
  return {
    update,
    destroy: () => {
      tray?.destroy()
      tray = null
    },
  }
}
