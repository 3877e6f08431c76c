import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileKeyBox } from '../src/main/engine/secrets'

describe('SecretBox (AES-256-GCM, key file)', () => {
  it('round-trips, uses a fresh IV each time, and keeps its key file private', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-secret-'))
    const box = fileKeyBox(dir)
    const a = box.seal('hunter2 ünïcødé')
    const b = box.seal('hunter2 ünïcødé')
    expect(a).not.toBe(b)
    expect(a).not.toContain('hunter2')
    expect(box.open(a)).toBe('hunter2 ünïcødé')
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'secret.key'))).toHaveLength(32)
    // Same dir → same key: sealed values survive a restart.
    expect(fileKeyBox(dir).open(a)).toBe('hunter2 ünïcødé')
  })

  it('refuses tampered ciphertext and another workspace’s key', () => {
    const box = fileKeyBox(mkdtempSync(join(tmpdir(), 'sb-secret-')))
    const sealed = box.seal('secret')
    const raw = Buffer.from(sealed.slice(5), 'base64')
    raw[raw.length - 1] ^= 1
    expect(() => box.open('gcm1:' + raw.toString('base64'))).toThrow()
    expect(() => fileKeyBox(mkdtempSync(join(tmpdir(), 'sb-secret-'))).open(sealed)).toThrow()
    expect(() => box.open('plain text')).toThrow('Unknown secret format')
  })
})
