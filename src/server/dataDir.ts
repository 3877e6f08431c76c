// The same folder Electron's app.getPath('userData') uses for an app named "Switchboard", so the desktop
// app and the web host open the same workspace.
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir()
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Switchboard')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Switchboard')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Switchboard')
}
