// Issue 14 item 7: a Date header's four-digit year is taken as written (0001 is not 2001), and attachment
// names built to lie (RTL override, NUL, controls, a run of spaces) are cleaned so the real extension shows.
import { describe, expect, it } from 'vitest'
import { displayFilename } from '../src/main/engine/inbound/attachmentName'
import { fastParse } from '../src/main/engine/inbound/sync/fastParse'
import { parseDateHeader, parseSource, parseWithMailparser } from '../src/main/engine/inbound/sync/parse'

const INTERNAL = Date.UTC(2026, 0, 5)

describe('Date headers', () => {
  it('keeps four-digit years as written, reads two-digit ones per RFC 5322, applies zones', () => {
    expect(new Date(parseDateHeader('Mon, 1 Jan 0001 00:00:00 +0000')).toISOString()).toBe('0001-01-01T00:00:00.000Z')
    expect(new Date(parseDateHeader('Sat, 01 Jan 0099 12:30:00 +0100')).toISOString()).toBe('0099-01-01T11:30:00.000Z')
    expect(new Date(parseDateHeader('Fri, 21 Nov 97 09:55:06 GMT')).toISOString()).toBe('1997-11-21T09:55:06.000Z')
    expect(new Date(parseDateHeader('21 Nov 03 09:55 EST')).toISOString()).toBe('2003-11-21T14:55:00.000Z')
    expect(new Date(parseDateHeader('Thu, 3 Dec 2026 07:00:00 -0500 (EST)')).toISOString()).toBe('2026-12-03T12:00:00.000Z')
    expect(new Date(parseDateHeader('Thu, 29 Feb 2024 23:59:60 +0000')).toISOString()).toBe('2024-03-01T00:00:00.000Z')
    expect(parseDateHeader('2026-01-05T09:00:00Z')).toBe(Date.UTC(2026, 0, 5, 9)) // not RFC 5322: Date.parse
    expect(parseDateHeader('yesterday-ish')).toBeNaN()
    expect(parseDateHeader(undefined)).toBeNaN()
  })

  it('stores a year-0001 message as year 1 on both parse paths', async () => {
    const src = Buffer.from('From: a@x.test\r\nTo: b@x.test\r\nSubject: old\r\nDate: Mon, 1 Jan 0001 00:00:00 +0000\r\nMessage-ID: <old@x.test>\r\n\r\nbody\r\n')
    const fast = fastParse(src, INTERNAL)
    expect(fast).not.toBeNull()
    expect(new Date(fast!.date).getUTCFullYear()).toBe(1)
    expect(new Date((await parseWithMailparser(src, INTERNAL)).date).getUTCFullYear()).toBe(1)
    expect(new Date((await parseSource(src, INTERNAL)).date).toISOString()).toBe('0001-01-01T00:00:00.000Z')
  })
})

describe('attachment names', () => {
  it('strips bidi overrides, NUL and controls so the real extension shows', () => {
    expect(displayFilename('invoice\u202Efdp.exe')).toBe('invoicefdp.exe')
    expect(displayFilename('report.pdf\u0000.exe')).toBe('report.pdf.exe')
    expect(displayFilename('a\u2066b\u2069\u200F\u200Bc\u0007\u009b.txt')).toBe('abc.txt')
    expect(displayFilename('photo.jpg' + ' '.repeat(80) + '.exe')).toBe('photo.jpg .exe')
    expect(displayFilename('setup.exe. . .')).toBe('setup.exe')
    expect(displayFilename('..\\..\\evil/x.bat')).toBe('.._.._evil_x.bat')
    expect(displayFilename('\u202E\u0000 ')).toBe('attachment')
    const long = displayFilename('n'.repeat(400) + '.exe')
    expect(long.length).toBe(255)
    expect(long.endsWith('….exe')).toBe(true)
  })

  it('cleans names on both parse paths', async () => {
    const mail = (name: string) =>
      Buffer.from(
        'From: a@x.test\r\nTo: b@x.test\r\nSubject: att\r\nMessage-ID: <att@x.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          `--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n`,
        'utf8',
      )
    const rtl = mail('invoice\u202Efdp.exe')
    expect((await parseWithMailparser(rtl, INTERNAL)).attachments[0]!.filename).toBe('invoicefdp.exe')
    expect((await parseSource(rtl, INTERNAL)).attachments[0]!.filename).toBe('invoicefdp.exe')
    const tab = mail('budget.pdf\t\t\t.exe') // ASCII: the fast path takes it
    expect(fastParse(tab, INTERNAL)!.attachments[0]!.filename).toBe('budget.pdf.exe') // tabs are controls too
  })
})
