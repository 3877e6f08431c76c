// SecretBox over Electron's safeStorage (Keychain, DPAPI, libsecret). Where the OS offers no keyring,
// fall back to the key-file box the web host uses, so secrets are still never stored in clear.
import { safeStorage } from 'electron'
import { fileKeyBox, type SecretBox } from './engine/secrets'

const PREFIX = 'ss1:'

export function safeStorageBox(dataDir: string): SecretBox {
  const fallback = fileKeyBox(dataDir)
  const available = safeStorage.isEncryptionAvailable()
  return {
    kind: available ? 'os keychain (safeStorage)' : fallback.kind,
    seal: (plain) => (available ? PREFIX + safeStorage.encryptString(plain).toString('base64') : fallback.seal(plain)),
    open: (sealed) => (sealed.startsWith(PREFIX) ? safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64')) : fallback.open(sealed)),
  }
}
