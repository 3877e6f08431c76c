// Sender profile rows: the From identities of a business and the transport each sends through.
import { emailSendingProfiles } from '../db/schema'
import { businessRows } from './businessRows'

export type ProfileRow = typeof emailSendingProfiles.$inferSelect
export type NewProfileRow = typeof emailSendingProfiles.$inferInsert

export const { list: listProfileRows, get: profileRow, insert: insertProfile, update: updateProfile } = businessRows(emailSendingProfiles, emailSendingProfiles.emailAddress)
