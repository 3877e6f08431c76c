// The hostile-MIME corpus (test/corpus/hostile-mime: 433 messages other projects test their parsers and
// sanitisers with; see its README) and a way to deliver it into a Dovecot user by IMAP APPEND. Used by
// test/mail/inboxCorpus.test.ts and bench/hostile.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { withImap, type MailUserName } from './servers'

// From the repo root, where vitest and the benches run (as servers.ts does for its script).
export const CORPUS_DIR = resolve(process.cwd(), 'test/corpus/hostile-mime')

export interface CorpusMessage {
  file: string
  source: Buffer
}

export function hostileCorpus(): CorpusMessage[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((file) => ({ file, source: readFileSync(join(CORPUS_DIR, file)) }))
}

/** APPENDs every message to INBOX; the server may refuse some (a zero-byte one, a NUL in a literal). */
export async function appendCorpus(user: MailUserName, corpus: CorpusMessage[]): Promise<{ appended: string[]; refused: Array<{ file: string; reason: string }> }> {
  const appended: string[] = []
  const refused: Array<{ file: string; reason: string }> = []
  await withImap(user, async (c) => {
    for (const m of corpus) {
      if (m.source.length === 0) {
        refused.push({ file: m.file, reason: 'zero bytes' })
        continue
      }
      try {
        // Fixed internal date: sync order and fallbacks do not depend on when the test ran.
        const r = await c.append('INBOX', m.source, [], new Date('2026-01-05T09:00:00Z'))
        if (r) appended.push(m.file)
        else refused.push({ file: m.file, reason: 'APPEND refused' })
      } catch (e) {
        refused.push({ file: m.file, reason: e instanceof Error ? e.message : String(e) })
      }
    }
  })
  return { appended, refused }
}
