// The shape every call returns, on every transport. Domain errors are values, never transport errors.
export const ERROR_CODES = [
  'VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL',
  // issue 22: the person at this desktop may not do that (a staff member sending from a profile not assigned to them)
  'FORBIDDEN',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorShape {
  code: ErrorCode
  message: string
  /** Dotted path of the offending input field, when one field is to blame. */
  field?: string
  /**
   * Every invalid input field with its message when input was refused on more than one (the first is
   * `field`/`message`), so a form can mark them all at once. Absent when one field or nothing is to blame.
   */
  fields?: FieldError[]
}

export interface FieldError {
  field: string
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Several invalid fields at once (a service's own checks), shown together like zod's. */
    readonly fields?: FieldError[],
  ) {
    super(message)
    this.name = 'AppError'
  }
  toJSON(): AppErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.fields && this.fields.length > 1 ? { fields: this.fields } : {}),
    }
  }
}

export const notFound = (what: string, id: number | string): AppError => new AppError('NOT_FOUND', `${what} ${id} does not exist`)

/** `row` when there is one, else NOT_FOUND on `field` saying which `what` is missing ("Sequence 7 does not exist"). */
export function found<T>(row: T | undefined, what: string, id: number, field = 'id'): T {
  if (row === undefined) throw new AppError('NOT_FOUND', `${what} ${id} does not exist`, field)
  return row
}
