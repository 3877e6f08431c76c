// The team workspace's PostgreSQL schema (issue 22), drizzle's pg dialect. After a change here run
// `npx drizzle-kit generate --config drizzle.pg.config.ts` and commit the new file under resources/pg-migrations.
// Roles, grants and the NOTIFY trigger are hand-written migrations in the same folder (drizzle-kit --custom).
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** One row: the workspace this database holds. */
export const workspace = pgTable('workspace', {
  id: uuid('id').primaryKey(),
  // The group role every member's login role belongs to (grants are given to it, never to a person).
  memberRole: text('member_role').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Staff and admins. Each has a PostgreSQL login role of their own (role_name); no password is kept here. */
export const teamUsers = pgTable('team_users', {
  email: text('email').primaryKey(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ['admin', 'staff'] }).notNull(),
  roleName: text('role_name').notNull().unique(),
  // The replicated users.id of this person (the same id on every desktop).
  userId: bigint('user_id', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Which sender profiles a staff member may send from (seed 000's user_email_profile_assignments). */
export const teamUserProfiles = pgTable('team_user_profiles', {
  email: text('email').notNull().references(() => teamUsers.email, { onDelete: 'cascade' }),
  profileId: bigint('profile_id', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.email, t.profileId] })])

/** Every desktop that created or joined the workspace. */
export const devices = pgTable('devices', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Id blocks: a desktop's new rows take ids from block_start .. block_start + 2^24 - 1, where block_start =
 * 2^32 + (block - 1) * 2^24. Handed out in increasing order, so a desktop that has seen a row from a newer
 * block than its own takes a newer block before it writes again (SQLite's AUTOINCREMENT follows max(id)).
 */
export const idBlocks = pgTable('id_blocks', {
  block: bigserial('block', { mode: 'number' }).primaryKey(),
  deviceId: integer('device_id').notNull(),
  takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
})

/** The shared log of changes. position orders them for every desktop; id makes a push idempotent. */
export const ops = pgTable('ops', {
  position: bigserial('position', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull().unique(),
  deviceId: integer('device_id').notNull(),
  userEmail: text('user_email'),
  tbl: text('tbl').notNull(),
  rowKey: text('row_key').notNull(),
  kind: text('kind', { enum: ['insert', 'update', 'delete'] }).notNull(),
  fields: jsonb('fields').notNull(),
  // When the desktop made the change (ms); position, not this, decides conflicts.
  at: bigint('at', { mode: 'number' }).notNull(),
  pushedAt: timestamp('pushed_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('ops_row_idx').on(t.tbl, t.rowKey)])

/**
 * Work that must happen once across desktops (issue 22): a shared outbox row is sent only by the desktop that
 * holds its claim. A claim is taken with SELECT … FOR UPDATE SKIP LOCKED (or inserted, first wins) and held
 * for a lease; the outcome's push marks it done (never taken again) or released (a retry anyone may take).
 */
export const claims = pgTable('claims', {
  tbl: text('tbl').notNull(),
  rowId: bigint('row_id', { mode: 'number' }).notNull(),
  deviceId: integer('device_id').notNull(),
  // pinned: only device_id may send it (an outbox row's attachments are in its desktop's file store alone).
  state: text('state', { enum: ['leased', 'released', 'done', 'pinned'] }).notNull(),
  // The row's status when it was marked done: only a failed, skipped or cancelled row may be claimed again
  // (a retry); a sent one never.
  outcome: text('outcome'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tbl, t.rowId] })])
