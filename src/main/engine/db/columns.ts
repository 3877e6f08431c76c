// Columns every table writes the same way (times are integer milliseconds since the epoch). A file of its
// own, since schema.ts re-exports the other schema files, which call these while they load.
import { integer } from 'drizzle-orm/sqlite-core'

export const createdAt = () => integer('created_at').notNull()
export const updatedAt = () => integer('updated_at').notNull()
/** Both times of a row that records when it was made and last changed (the contract's `...Stamps`). */
export const stamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() })
