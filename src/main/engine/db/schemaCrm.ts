// Segments and companies (migration 0015, hand-written: the expression indexes and triggers are beyond
// drizzle-kit). contacts gains company_id, last_inbound_at and last_outbound_at (declared in schema.ts).
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { stamps } from './columns'
import { objects } from './schema'

export const companies = sqliteTable('companies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').references(() => objects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  domain: text('domain'),
  ...stamps(),
}, (t) => [uniqueIndex('companies_domain_uq').on(sql`ifnull(${t.objectId}, 0)`, t.domain).where(sql`domain IS NOT NULL`), index('companies_name_idx').on(sql`${t.name} COLLATE NOCASE`, t.id)])

export const segments = sqliteTable('segments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  objectId: integer('object_id').references(() => objects.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** The validated rules (shared/segments.ts), compiled to SQL when used. */
  rulesJson: text('rules_json').notNull(),
  ...stamps(),
}, (t) => [uniqueIndex('segments_name_uq').on(sql`ifnull(${t.objectId}, 0)`, sql`${t.name} COLLATE NOCASE`)])
