// The one page-cursor format of every list method: the last row's sort keys, as base64url JSON. Opaque to
// callers; a cursor that does not decode to the expected number of keys is a VALIDATION error, never a crash.
import { AppError } from '../../../shared/result'

export type CursorKey = string | number

export function encodeCursor(keys: readonly CursorKey[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url')
}

/** The keys of `cursor`, which must be exactly `arity` strings or numbers. */
export function decodeCursor(cursor: string, arity: number): CursorKey[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(parsed) && parsed.length === arity && parsed.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))))
      return parsed as CursorKey[]
  } catch {
    // fall through to the coded error
  }
  throw new AppError('VALIDATION', 'The page cursor is not valid; start again from the first page', 'cursor')
}

/** A cursor whose keys are all integers (timestamps, ids, offsets). */
export function decodeIntCursor(cursor: string, arity: number): number[] {
  const keys = decodeCursor(cursor, arity)
  if (!keys.every((k) => Number.isInteger(k))) throw new AppError('VALIDATION', 'The page cursor is not valid; start again from the first page', 'cursor')
  return keys as number[]
}
