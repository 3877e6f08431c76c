// Attachment names are chosen by the sender and may be built to lie: a right-to-left override turns
// "invoice\u202Efdp.exe" into "invoiceexe.pdf" on screen, NUL or control characters cut or hide the end,
// and a run of spaces pushes ".exe" out of sight. Names are cleaned before they are stored and again
// before they are shown (rows stored before this), so the real extension is always what the user sees.

// C0 and C1 controls, DEL, bidi marks/embeddings/overrides/isolates, zero-width characters, BOM, and line
// and paragraph separators.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g
const MAX = 255

export function displayFilename(name: string): string {
  let n = name
    .replace(INVISIBLE, '')
    .replace(/[\\/]/g, '_') // no path: the name is a name
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '') // Windows drops trailing dots and spaces, which can hide the real extension
  if (!n) return 'attachment'
  if (n.length > MAX) {
    // Keep the extension in sight when cutting.
    const dot = n.lastIndexOf('.')
    const ext = dot > 0 && n.length - dot <= 16 ? n.slice(dot) : ''
    n = `${n.slice(0, MAX - ext.length - 1)}…${ext}`
  }
  return n
}
