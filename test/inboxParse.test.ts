// The parse worker's logic, without threads: the fast path must give exactly what mailparser gives for
// every message it accepts (compared over a generated corpus), decline what it cannot do, and the DSN /
// fallback handling must keep every message accounted for.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseAddressHeader } from 'mailparser'
import { fastParse, plainAddresses } from '../src/main/engine/inbound/sync/fastParse'
import { addrs, decodeWords, parseSource, parseWithMailparser } from '../src/main/engine/inbound/sync/parse'

const dir = mkdtempSync(join(tmpdir(), 'sb-parse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** gen-messages.mjs as mbox, split into CRLF sources (what an IMAP server serves). */
function corpus(count: number, seed: number): Buffer[] {
  const file = join(dir, `c${seed}.mbox`)
  execFileSync(process.execPath, ['scripts/gen-messages.mjs', '--mbox', file, '--count', String(count), '--seed', String(seed), '--to', 'bench@example.test', '--now', '2026-01-01T00:00:00Z'], { stdio: 'ignore' })
  return readFileSync(file, 'latin1')
    .split(/^From [^\n]*\n/m)
    .filter((m) => m.trim())
    .map((m) => Buffer.from(m.replace(/\n$/, '').replace(/^>(>*From )/gm, '$1').replace(/\r?\n/g, '\r\n'), 'latin1'))
}

const comparable = (b: Awaited<ReturnType<typeof parseSource>>) => ({
  ...b,
  text: b.text ?? '',
  attachments: b.attachments.map(({ content, ...a }) => ({ ...a, bytes: content?.length ?? -1 })),
})

describe('fast path vs mailparser', () => {
  it('gives identical results for every generated message it accepts, and accepts most of them', async () => {
    const sources = corpus(600, 11)
    let fast = 0
    for (const src of sources) {
      const f = fastParse(src, 1)
      if (!f) continue
      fast++
      const m = await parseWithMailparser(src, 1)
      expect(comparable(f), src.subarray(0, 400).toString('latin1')).toEqual(comparable(m))
    }
    console.log(`fast path took ${fast} of ${sources.length}`)
    expect(fast / sources.length).toBeGreaterThan(0.8)
  }, 60_000)

  it('declines what it does not handle, which mailparser then parses', async () => {
    const declined = [
      'Subject: x\r\nContent-Type: text/plain; charset=iso-8859-2\r\n\r\nabc',
      'Subject: x\r\nContent-Type: text/plain; format=flowed\r\n\r\nabc ',
      'Subject: x\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nno end',
      'Subject: x\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n',
      'Subject: caf\xe9\r\n\r\n8-bit header',
      'Subject: x\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nt\r\n--b\r\nContent-Type: application/pdf; name*=utf-8\'\'%C3%A9.pdf\r\n\r\nx\r\n--b--\r\n',
    ]
    for (const s of declined) {
      const src = Buffer.from(s, 'latin1')
      expect(fastParse(src, 1), s).toBeNull()
      expect((await parseSource(src, 1)).parseError, s).toBeNull()
    }
  })
})

describe('plain address lists', () => {
  it('agree with mailparser on every list they accept, and leave the rest to it', () => {
    const accepted = [
      'Ann Lee <ann@client.test>',
      'ann@client.test',
      'Ann Lee <Ann.Lee+tag@Mail.Client-1.test>, bob@y.test,Carla Nunez <c_n@salon.test>',
      'R2 D2 <r2@x.test>',
      'Bench Example <bench@example.test>,  James Evans <jevans@empresa.es>',
    ]
    const declined = [
      '"Lee, Ann" <ann@client.test>',
      'Ann  Lee <ann@client.test>',
      'Ann Lee<ann@client.test>',
      "Mary O'Neil <mary@x.test>",
      'J. Smith <j@x.test>',
      '=?utf-8?q?Caf=C3=A9?= <cafe@x.test>',
      'Ann (work) <ann@x.test>',
      'undisclosed-recipients:;',
      'team: ann@x.test, bob@y.test;',
      'ann@x.test,',
      ',ann@x.test',
      'ann@localhost',
      '<ann@x.test>',
      'ann..lee@x.test',
      'ann@x..test',
      'Ann Lee <ann@x.test> trailing',
      'Ann Lee <ann@x.test',
    ]
    for (const raw of accepted) expect(plainAddresses(raw), raw).toEqual(addrs(parseAddressHeader(raw)))
    for (const raw of declined) expect(plainAddresses(raw), raw).toBeNull()
  })
})

describe('parse details', () => {
  it('decodes encoded words split inside a multibyte character, and survives bogus ones', () => {
    const bytes = Buffer.from('Grüße aus Köln', 'utf8')
    const w1 = `=?utf-8?B?${bytes.subarray(0, 3).toString('base64')}?=`
    const w2 = `=?utf-8?B?${bytes.subarray(3).toString('base64')}?=`
    expect(decodeWords(`${w1} ${w2}`)).toBe('Grüße aus Köln')
    expect(decodeWords('=?utf-8?Q?caf=C3=A9_cr=C3=A8me?= ok')).toBe('café crème ok')
    expect(decodeWords('=?x-bogus?B?QUJD?=')).toBe('ABC')
  })

  it('reads a DSN: failed recipients and the original Message-ID from the returned message', async () => {
    const dsn = Buffer.from(
      'From: MAILER-DAEMON@mx.test\r\nSubject: Undelivered\r\nMessage-ID: <dsn1@mx.test>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n' +
        '--r\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.test\r\n\r\n' +
        'Final-Recipient: rfc822; Gone@Example.test\r\nAction: failed\r\nStatus: 5.1.1 (user unknown)\r\nDiagnostic-Code: smtp; 550 5.1.1 no such\r\n  user here\r\n\r\n' +
        'Final-Recipient: rfc822; late@example.test\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n' +
        '--r\r\nContent-Type: message/rfc822\r\n\r\nFrom: us@biz.test\r\nTo: gone@example.test\r\nMessage-ID: <orig-42@biz.test>\r\nSubject: Hi\r\n\r\nbody\r\n--r--\r\n',
    )
    const p = await parseSource(dsn, 1)
    expect(p.parseError).toBeNull()
    expect(p.dsn).toEqual({
      originalMessageId: '<orig-42@biz.test>',
      recipients: [
        { email: 'gone@example.test', action: 'failed', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 no such user here' },
        { email: 'late@example.test', action: 'delayed', status: '4.4.1', diagnostic: null },
      ],
    })
  })

  it('keeps unparsable sources raw, with a best-effort header read, and an unparsable Date falls back to the internal date', async () => {
    const huge = Buffer.from(`From: A <a@x.test>\r\nSubject: big\r\nMessage-ID: <big@x.test>\r\nX-Big: ${'x'.repeat(1_200_000)}\r\n\r\nbody`)
    const p = await parseSource(huge, 5)
    expect(p.parseError).toMatch(/parse/i)
    expect(p.raw?.equals(huge)).toBe(true)
    expect(p).toMatchObject({ subject: 'big', messageId: '<big@x.test>', from: { name: 'A', email: 'a@x.test' } })
    const undated = await parseSource(Buffer.from('Subject: s\r\nDate: not a date\r\nContent-Type: multipart/related; boundary=q\r\n\r\n--q\r\n\r\nx\r\n--q--\r\n'), 777)
    expect(undated.date).toBe(777)
  })
})
