// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; ops made in JS (the snapshot of a new
// workspace) look like the ones the capture triggers make in SQL.
import { randomBytes } from 'node:crypto'

export function uuid7(now: number = Date.now()): string {
  const b = randomBytes(16)
  b.writeUIntBE(now, 0, 6)
  b[6] = 0x70 | (b[6] & 0x0f)
  b[8] = 0x80 | (b[8] & 0x3f)
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
