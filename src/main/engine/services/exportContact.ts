// A person's right of access (issue 18, seed 003): contacts.export writes one zip with everything held about a
// contact: contact.json (the contact, tags, consent and its history, notes, tasks, outbox rows with their events,
// automation history), messages.jsonl (every stored message in and out, one JSON object a line), the attachment
// files, and summary.html for a human reader. Mail is pulled a page at a time as the zip is written (yazl deflates
// through Node's zlib, off this thread), so a contact with 10,000 messages never stalls the engine.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { Readable } from 'node:stream'
import { ZipFile } from 'yazl'
import type { ParsedInput } from '../../../shared/contract'
import type { ExportResult } from '../../../shared/dataRights'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { iso } from '../clock'
import { attachmentPath } from '../inbound/attachmentFiles'
import { currentUserId } from '../repos/app'
import { addAudit } from '../repos/audit'
import { consentHistory, consentOf } from '../repos/consent'
import { automationFor, contactRecord, messagePage, notesFor, outboxFor, tasksFor, type ExportMessage } from '../repos/contactExport'
import { outboundIdsOf, contactCore } from '../repos/dataRights'
import { exportPrefix, exportsDir } from './dataRights'
import { summaryHtml, type SummaryLine } from './exportSummary'

const PAGE = 500
const safeName = (s: string): string => s.replace(/[^\w.\- ]+/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'file'
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15)

function targetDir(ctx: Ctx, dir: string | undefined): string {
  if (dir === undefined) {
    mkdirSync(exportsDir(ctx), { recursive: true, mode: 0o700 })
    return exportsDir(ctx)
  }
  if (!isAbsolute(dir)) throw new AppError('VALIDATION', 'Choose a folder by its full path', 'dir')
  let ok = false
  try {
    ok = statSync(dir).isDirectory()
  } catch {
    ok = false
  }
  if (!ok) throw new AppError('VALIDATION', 'That folder does not exist', 'dir')
  return dir
}

export async function exportContact(ctx: Ctx, { id, dir }: ParsedInput<'contacts.export'>): Promise<ExportResult> {
  const core = contactCore(ctx, id)
  const contact = contactRecord(ctx, id)
  if (!core || !contact) throw new AppError('NOT_FOUND', `Contact ${id} does not exist`, 'id')
  const now = ctx.clock.now()
  const folder = targetDir(ctx, dir)
  const path = join(folder, `${exportPrefix(id)}${stamp(now)}.zip`)
  const partial = `${path}.partial`
  const mtime = new Date(now)

  const outbox = outboxFor(ctx, outboundIdsOf(ctx, core))
  const record = {
    format: 'switchboard-contact-export',
    version: 1,
    exportedAt: iso(now),
    contact,
    consent: { current: consentOf(ctx, id), history: consentHistory(ctx, id) },
    notes: notesFor(ctx, id),
    tasks: tasksFor(ctx, id),
    automation: automationFor(ctx, id),
    outbox: outbox.rows,
    messages: { file: 'messages.jsonl', attachmentsFolder: 'attachments/' },
  }

  const zip = new ZipFile()
  const out = createWriteStream(partial, { mode: 0o600 })
  const written = new Promise<void>((resolve, reject) => {
    out.on('close', resolve)
    out.on('error', reject)
    zip.outputStream.on('error', reject)
  })
  zip.outputStream.pipe(out)
  zip.addBuffer(Buffer.from(JSON.stringify(record, null, 2)), 'contact.json', { mtime })

  // messages.jsonl is produced as yazl reads it: one page of mail per read, attachments noted for later entries.
  const lines: SummaryLine[] = []
  const files: Array<{ name: string; sha256: string }> = []
  let after = 0
  const fileName = (m: ExportMessage, a: ExportMessage['attachments'][number]) => `attachments/${m.id}-${a.id}-${safeName(a.filename)}`
  // A page is ~0.5 MB of JSON: buffer about two, so the zip never waits for SQLite and SQLite never for the zip.
  const messages = new Readable({
    highWaterMark: 1 << 20,
    read() {
      let page: ExportMessage[]
      try {
        page = messagePage(ctx, id, after, PAGE)
      } catch (err) {
        this.destroy(err as Error)
        return
      }
      if (page.length === 0) return void this.push(null)
      after = page.at(-1)!.id
      let chunk = ''
      for (const m of page) {
        lines.push({ date: m.date, direction: m.direction, from: m.from.email ?? '', subject: m.subject, attachments: m.attachments.length })
        const atts = m.attachments.map((a) => {
          const name = fileName(m, a)
          files.push({ name, sha256: a.sha256 })
          return { ...a, file: name }
        })
        chunk += `${JSON.stringify({ ...m, attachments: atts })}\n`
      }
      this.push(chunk)
    },
  })
  let failed: Error | null = null
  messages.on('error', (err) => (failed = err))
  messages.on('end', () => {
    for (const f of files) addFile(zip, f.name, f.sha256, ctx.info.dataDir, mtime)
    for (const f of outbox.files) addFile(zip, `outgoing/${f.outboxId}-${safeName(f.filename)}`, f.sha256, ctx.info.dataDir, mtime)
    zip.addReadStreamLazy('summary.html', { mtime }, (cb) =>
      cb(null, Readable.from([summaryHtml({ exportedAt: iso(now), contact, consent: record.consent, notes: record.notes.length, tasks: record.tasks, automation: record.automation, outbox: outbox.rows.length, lines })])),
    )
    zip.end()
  })
  // Fast deflate: mail text shrinks well at level 1 already, and the export's time is the user's wait.
  zip.addReadStream(messages, 'messages.jsonl', { mtime, compressionLevel: 1 })

  try {
    await written
    if (failed) throw failed
    renameSync(partial, path)
  } catch (err) {
    rmSync(partial, { force: true })
    throw new AppError('INTERNAL', `The export could not be written: ${(err as Error).message}`)
  }
  const bytes = statSync(path).size
  const result = { path, bytes, messages: lines.length, attachments: files.length + outbox.files.length }
  ctx.sqlite.transaction(() =>
    addAudit(ctx, { objectId: core.objectId, userId: currentUserId(ctx), action: 'contacts.export', detail: { contactId: id, messages: result.messages, attachments: result.attachments, bytes } }, ctx.clock.now()),
  )()
  return result
}

/** An attachment file into the zip, opened only when yazl reaches it; a missing file becomes a short note. */
function addFile(zip: ZipFile, name: string, sha256: string, dataDir: string, mtime: Date): void {
  let file: string | null = null
  try {
    file = attachmentPath(dataDir, sha256)
  } catch {
    file = null
  }
  if (!file || !existsSync(file)) {
    zip.addBuffer(Buffer.from('This attachment’s file is missing from the data folder.\n'), `${name}.missing.txt`, { mtime })
    return
  }
  const path = file
  // Stored, not deflated: attachments are mostly PDFs and images, compressed already.
  zip.addReadStreamLazy(name, { mtime, compress: false }, (cb) => cb(null, createReadStream(path)))
}
