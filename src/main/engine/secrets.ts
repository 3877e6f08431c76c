// SecretBox: how passwords and API keys are sealed at rest. Electron passes one backed by safeStorage;
// the web host (and tests) use AES-256-GCM with a random key in a 0600 file in the data dir.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface SecretBox {
  /** Where the key lives, shown in app.info (never the key itself). */
  readonly kind: string
  seal(plain: string): string
  open(sealed: string): string
}

const PREFIX = 'gcm1:'

export function aesGcmBox(key: Buffer, kind = 'aes-256-gcm'): SecretBox {
  if (key.length !== 32) throw new Error('SecretBox key must be 32 bytes')
  return {
    kind,
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('Unknown secret format')
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

/** Reads (or creates, mode 0600) `secret.key` in the data dir. */
export function fileKeyBox(dataDir: string): SecretBox {
  const file = join(dataDir, 'secret.key')
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' })
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  return aesGcmBox(readFileSync(file), `key file ${file}`)
}
