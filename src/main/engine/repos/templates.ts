// What a template is rendered with: the contact and the business (object) it is written for. The
// rendering itself is automation/templates.ts.
import type { Ctx } from '../context'
import { stmt } from '../db/stmt'
import type { NewContactRow } from './contacts'

/** A contact's columns as a template reads them (custom fields still as their JSON column). */
export interface ContactRow extends Omit<NewContactRow, 'fields'> {
  id: number
  fieldsJson: string
}
export interface ObjectRow {
  id: number
  name: string
  postalAddress: string
  timezone: string
  unsubscribeUrl: string | null
}

export function contactRow(ctx: Ctx, id: number): ContactRow | undefined {
  return stmt(
    ctx.sqlite,
    `SELECT id, email, first_name AS firstName, last_name AS lastName, company, phone, timezone, fields_json AS fieldsJson,
            primary_object_id AS primaryObjectId FROM contacts WHERE id = ?`,
  ).get(id) as ContactRow | undefined
}

export function objectRow(ctx: Ctx, id: number): ObjectRow | undefined {
  return stmt(ctx.sqlite, 'SELECT id, name, postal_address AS postalAddress, timezone, unsubscribe_url AS unsubscribeUrl FROM objects WHERE id = ?').get(id) as
    | ObjectRow
    | undefined
}
