// The one uniqueness check of the people/business services: a clash with another row is a CONFLICT on the field.
import { AppError } from '../../../shared/result'

/** Throws CONFLICT when `clashId` names a row other than `exceptId` (the row being edited). */
export function assertNoClash(clashId: number | undefined, exceptId: number | undefined, message: string, field: string): void {
  if (clashId !== undefined && clashId !== exceptId) throw new AppError('CONFLICT', message, field)
}
