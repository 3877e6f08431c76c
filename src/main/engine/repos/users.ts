// Staff users and which sender profiles each may send from (one of them the default).
import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../context'
import { userEmailProfileAssignments, users } from '../db/schema'

export type UserRow = typeof users.$inferSelect
export type AssignmentRow = typeof userEmailProfileAssignments.$inferSelect

export const userRow = (ctx: Ctx, id: number): UserRow | undefined => ctx.db.select().from(users).where(eq(users.id, id)).get()

export const listUserRows = (ctx: Ctx): UserRow[] => ctx.db.select().from(users).orderBy(users.name).all()

export const userIdByEmail = (ctx: Ctx, email: string): number | undefined =>
  ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id

export const insertUser = (ctx: Ctx, values: { name: string; email: string }, now: number): number =>
  ctx.db.insert(users).values({ ...values, createdAt: now }).returning({ id: users.id }).get().id

export const allAssignments = (ctx: Ctx): AssignmentRow[] => ctx.db.select().from(userEmailProfileAssignments).all()

const assignmentKey = (userId: number, profileId: number) =>
  and(eq(userEmailProfileAssignments.userId, userId), eq(userEmailProfileAssignments.profileId, profileId))

export function unassignProfile(ctx: Ctx, userId: number, profileId: number): void {
  ctx.db.delete(userEmailProfileAssignments).where(assignmentKey(userId, profileId)).run()
}

/** Assigns the profile to the user (or changes whether it is the default). Clear the old default first. */
export function assignProfile(ctx: Ctx, userId: number, profileId: number, isDefault: boolean, now: number): void {
  ctx.db
    .insert(userEmailProfileAssignments)
    .values({ userId, profileId, isDefault, createdAt: now })
    .onConflictDoUpdate({ target: [userEmailProfileAssignments.userId, userEmailProfileAssignments.profileId], set: { isDefault } })
    .run()
}

export function clearDefaultProfile(ctx: Ctx, userId: number): void {
  ctx.db.update(userEmailProfileAssignments).set({ isDefault: false }).where(eq(userEmailProfileAssignments.userId, userId)).run()
}
