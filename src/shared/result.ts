// The shape every call returns, on every transport. Domain errors are values, never transport errors.
export const ERROR_CODES = ['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorShape {
  code: ErrorCode
  message: string
  /** Dotted path of the offending input field, when one field is to blame. */
  field?: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'AppError'
  }
  toJSON(): AppErrorShape {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message }
  }
}

export const notFound = (what: string, id: number | string): AppError => new AppError('NOT_FOUND', `${what} ${id} does not exist`)
