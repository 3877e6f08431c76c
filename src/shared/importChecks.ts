// Checks of a CSV import shared by the engine (contacts.import) and the preview, so the preview warns
// about exactly what the import will refuse or report.

/** Targets chosen for more than one column (never `ignore`), with those columns in file order. */
export function duplicateTargets(mapping: Record<string, string>, order: readonly string[] = Object.keys(mapping)): Array<{ target: string; headers: string[] }> {
  const by = new Map<string, string[]>()
  for (const header of order) {
    const target = mapping[header]
    if (!target || target === 'ignore') continue
    by.set(target, [...(by.get(target) ?? []), header])
  }
  return [...by].filter(([, headers]) => headers.length > 1).map(([target, headers]) => ({ target, headers }))
}

/**
 * Rows whose email (within one business) already appeared on an earlier row: row number → the first
 * row with it. Spreadsheet numbering, the header being row 1. The import keeps the first and reports the rest.
 */
export function duplicateEmailRows(rows: ReadonlyArray<{ row: number; email: string; business: string }>): Map<number, number> {
  const first = new Map<string, number>()
  const dupes = new Map<number, number>()
  for (const r of rows) {
    if (!r.email) continue
    const key = `${r.business}\u0000${r.email.trim().toLowerCase()}`
    const seen = first.get(key)
    if (seen === undefined) first.set(key, r.row)
    else dupes.set(r.row, seen)
  }
  return dupes
}

export const duplicateRowMessage = (firstRow: number): string => `The same email as row ${firstRow}: only row ${firstRow} is imported. Merge the two rows in your file if both hold details you need`
