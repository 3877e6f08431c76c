// The shared tables of a team workspace (issue 22) and the columns that replicate. Everything else in SQLite
// is device-local (the inbox fed from IMAP, sync state, UI state) or derived on each desktop from
// replicated data by its own triggers (companies from e-mail domains, last mail in/out, FTS indexes).
// Adding a domain: add it here, write a migration with its capture triggers (captureTriggersSql prints
// them), and test/teamSchema.test.ts checks that the triggers in SQLite match this list.

export interface SharedTable {
  name: string
  /** Primary-key columns; the op's row key is their values joined by ':'. */
  pk: string[]
  /** Non-key columns that replicate. */
  cols: string[]
  /** INTEGER PRIMARY KEY AUTOINCREMENT: new rows take ids from this desktop's id block. */
  autoId: boolean
  /**
   * Values a column takes on this desktop alone, never captured (outbound_messages.status 'sending': the
   * desktop that won the row's claim in PostgreSQL is sending it; the others keep it queued until the outcome).
   */
  localValues?: Record<string, string[]>
  /** What a device-local value is shared as when a new workspace's snapshot carries the row. */
  sharedAs?: Record<string, string>
  /** NOT NULL device-local columns a row arriving from another desktop starts with (secrets stay local). */
  localDefaults?: Record<string, string | number>
  /**
   * Context an insert op carries beside the row (never a column: apply ignores it). contacts: the desktop's cursor
   * when it made the row, so the others can tell whether it knew of a contact with the same address (merge.ts).
   */
  insertContext?: Record<string, string>
  /**
   * A unique key besides the id (migration 0036): two desktops that made the same one apart (a suppression of one
   * address, a segment's name) end with one row, the one whose insert reached PostgreSQL first (unique.ts).
   * `where` matches the key as its unique index does, one `?` per column of `cols`; `key` is the key as migration
   * 0036's delete triggers record it (team_unique_deleted.key_json) from the row's fields. `born`: the column whose
   * version is the row's insert position (default created_at; a table without one names another column its insert
   * always writes).
   */
  unique?: { cols: string[]; where: string; key: (f: Record<string, unknown>) => string; born?: string }
  /** Primary-key columns holding text (consent.channel); all others are integers. */
  textKey?: string[]
}

/** SQLite's lower() and NOCASE fold ASCII letters only. */
const asciiLower = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/[A-Z]/g, (c) => c.toLowerCase()) : v)

export const SHARED_TABLES: SharedTable[] = [
  { name: 'objects', pk: ['id'], autoId: true, cols: ['name', 'postal_address', 'timezone', 'unsubscribe_url', 'country', 'created_at', 'updated_at'] },
  { name: 'users', pk: ['id'], autoId: true, cols: ['name', 'email', 'created_at'] },
  // company_id, last_inbound_at and last_outbound_at are kept by each desktop's own triggers.
  {
    name: 'contacts',
    pk: ['id'],
    autoId: true,
    cols: ['primary_object_id', 'email', 'first_name', 'last_name', 'company', 'phone', 'timezone', 'fields_json', 'status', 'sort_name', 'phone_search', 'created_at', 'updated_at', 'preferred_channel', 'created_by', 'updated_by'],
    // migration 0035: two desktops that made the same contact apart end with one (merge.ts)
    insertContext: { __cursor: '(SELECT cursor FROM team_state WHERE id = 1)' },
  },
  { name: 'contact_emails', pk: ['id'], autoId: true, cols: ['contact_id', 'email', 'created_at'] },
  { name: 'contact_phones', pk: ['id'], autoId: true, cols: ['contact_id', 'number', 'label', 'is_primary', 'created_at'] },
  { name: 'tags', pk: ['id'], autoId: true, cols: ['name', 'color', 'created_at'] },
  { name: 'contact_tags', pk: ['tag_id', 'contact_id'], autoId: false, cols: ['created_at'] },
  { name: 'contact_notes', pk: ['id'], autoId: true, cols: ['contact_id', 'author_user_id', 'body_html', 'body_text', 'pinned', 'created_at', 'updated_at'] },
  // thread_id and closed_by_message_id point into this desktop's inbox; reminded_at is this desktop's reminder.
  { name: 'tasks', pk: ['id'], autoId: true, cols: ['title', 'contact_id', 'assignee_user_id', 'created_by_user_id', 'due_at', 'done_at', 'close_on_reply', 'created_at', 'updated_at'] },
  // ---- the outbox and what it sends from (migration 0032). Secrets never leave the desktop: the sealed
  // passwords and API keys are device-local (each desktop enters its own), and so is the sign-in state
  // (status, status_reason, status_code) each desktop finds with its own password.
  {
    name: 'mailboxes',
    pk: ['id'],
    autoId: true,
    cols: ['object_id', 'email', 'display_name', 'daily_capacity', 'min_gap_seconds', 'smtp_host', 'smtp_port', 'smtp_security', 'smtp_user', 'imap_host', 'imap_port', 'imap_security', 'imap_user', 'sent_copy', 'receive_via', 'sync_window_months', 'created_at', 'updated_at'],
    localDefaults: { smtp_password_sealed: '' },
  },
  { name: 'object_mailgun_settings', pk: ['id'], autoId: true, cols: ['object_id', 'sending_domain', 'region', 'api_base_url', 'verified_at', 'is_active', 'created_at', 'updated_at'] },
  { name: 'email_sending_profiles', pk: ['id'], autoId: true, cols: ['object_id', 'email_address', 'display_name', 'reply_to_address', 'transport', 'mailbox_id', 'is_active', 'signature_html', 'created_at', 'updated_at'] },
  { name: 'templates', pk: ['id'], autoId: true, cols: ['object_id', 'name', 'description', 'current_version', 'deleted_at', 'created_at', 'updated_at'] },
  { name: 'template_versions', pk: ['id'], autoId: true, cols: ['template_id', 'version', 'subject', 'html', 'text', 'text_auto', 'variables_json', 'created_at'] },
  // lease_owner/lease_until/capacity_day are this desktop's send in progress and its mailbox's daily count;
  // draft_id, communication_id, bulk_job_id and polled_at point into (or time) device-local tables.
  {
    name: 'outbound_messages',
    pk: ['id'],
    autoId: true,
    cols: ['object_id', 'profile_id', 'mailbox_id', 'contact_id', 'transport', 'message_id', 'from_email', 'from_name', 'reply_to', 'to_json', 'cc_json', 'bcc_json', 'subject', 'html', 'text', 'headers_json', 'tracking', 'source', 'idempotency_key', 'status', 'status_reason', 'attempts', 'max_attempts', 'last_error', 'error_kind', 'error_code', 'scheduled_for', 'next_attempt_at', 'undo_until', 'provider_id', 'sent_at', 'created_at', 'updated_at', 'channel', 'segments', 'content_sid', 'content_variables_json', 'provider_status', 'template_id', 'template_version_id', 'created_by'],
    localValues: { status: ['sending'] },
    sharedAs: { status: 'queued' },
  },
  // provider_event_id is unique: 'replied:<outbound id>' is recorded by every desktop that syncs the reply
  // (migration 0038: the first to reach PostgreSQL stands, the others become its aliases).
  {
    name: 'message_events',
    pk: ['id'],
    autoId: true,
    cols: ['outbound_id', 'type', 'detail', 'provider_event_id', 'at'],
    unique: { cols: ['provider_event_id'], where: 'provider_event_id = ?', key: (f) => JSON.stringify([f.provider_event_id]), born: 'at' },
  },
  // ---- team-domains (migration 0036): what stops a send, consent, segments and intake rules.
  // A suppression made on any desktop stops the sends of every desktop (checked again when a row is claimed).
  { name: 'suppressions', pk: ['id'], autoId: true, cols: ['object_id', 'email', 'reason', 'created_at'], unique: { cols: ['object_id', 'email'], where: 'ifnull(object_id, 0) = ifnull(?, 0) AND email = ?', key: (f) => JSON.stringify([f.object_id ?? 0, f.email]) } },
  // The salts an erased person's block is hashed with (migration 0040): every desktop tests an address against each,
  // so a person erased on one desktop is refused on all. Salts are made once and never change or go.
  { name: 'erase_salts', pk: ['salt'], autoId: false, cols: ['created_at'], textKey: ['salt'] },
  // The salted keys of an erased person's messages (migration 0041): every desktop of the workspace syncs the same
  // IMAP mail, so each deletes its own copies of them when they arrive, and its sync never stores them again.
  { name: 'erased_messages', pk: ['key'], autoId: false, cols: ['created_at'], textKey: ['key'] },
  // One row per contact and channel (a reusable key: the later of set and remove wins); its history rows are plain.
  { name: 'consent', pk: ['contact_id', 'channel'], autoId: false, cols: ['status', 'source', 'at'], textKey: ['channel'] },
  { name: 'consent_events', pk: ['id'], autoId: true, cols: ['contact_id', 'channel', 'status', 'source', 'at'] },
  { name: 'segments', pk: ['id'], autoId: true, cols: ['object_id', 'name', 'rules_json', 'created_at', 'updated_at'], unique: { cols: ['object_id', 'name'], where: 'ifnull(object_id, 0) = ifnull(?, 0) AND name = ? COLLATE NOCASE', key: (f) => JSON.stringify([f.object_id ?? 0, asciiLower(f.name)]) } },
  // sequence_id is device-local: rows made before migration 0038 point at sequences whose ids differ from desktop
  // to desktop, and shared, each desktop syncing one form would enrol its own copy of the contact (docs/team.md).
  { name: 'intake_rules', pk: ['id'], autoId: true, cols: ['object_id', 'name', 'enabled', 'from_match', 'to_match', 'subject_match', 'subject_mode', 'field_map_json', 'tag_ids_json', 'created_at', 'updated_at'] },
  // ---- team-seq (migration 0038): sequences and autoresponders. Which desktop does a due step or a firing is
  // decided by claims in PostgreSQL (stepClaims.ts); what it did replicates like any other write.
  { name: 'sequences', pk: ['id'], autoId: true, cols: ['name', 'object_id', 'status', 'window_json', 'rotation', 'created_at', 'updated_at'] },
  // Steps are rewritten whole on save: two desktops that saved a sequence apart end with one step per position.
  {
    name: 'sequence_steps',
    pk: ['id'],
    autoId: true,
    cols: ['sequence_id', 'position', 'subject', 'body_html', 'wait_value', 'wait_unit', 'channel', 'text_body', 'content_sid', 'content_variables_json'],
    unique: { cols: ['sequence_id', 'position'], where: 'sequence_id = ? AND position = ?', key: (f) => JSON.stringify([f.sequence_id, f.position]), born: 'sequence_id' },
  },
  { name: 'sequence_mailboxes', pk: ['sequence_id', 'mailbox_id'], autoId: false, cols: ['position'] },
  // The enrolments: one per sequence and contact (the same contact enrolled apart on two desktops is one).
  {
    name: 'sequence_contacts',
    pk: ['id'],
    autoId: true,
    cols: ['sequence_id', 'contact_id', 'status', 'current_step', 'next_step_at', 'mailbox_id', 'pending_outbound_id', 'first_message_id', 'last_sent_at', 'last_error', 'enrolled_at', 'updated_at'],
    unique: { cols: ['sequence_id', 'contact_id'], where: 'sequence_id = ? AND contact_id = ?', key: (f) => JSON.stringify([f.sequence_id, f.contact_id]), born: 'sequence_id' },
  },
  { name: 'sequence_messages', pk: ['id'], autoId: true, cols: ['sequence_id', 'sequence_contact_id', 'step_position', 'outbound_id', 'created_at'] },
  // date_checked_through is this desktop's daily check of date triggers (each desktop checks; claims pick who fires).
  // The totals are bumped by the desktop that sent (or settled) an execution and replicate as values.
  {
    name: 'autoresponders',
    pk: ['id'],
    autoId: true,
    cols: ['name', 'object_id', 'is_active', 'trigger_type', 'trigger_tag_id', 'trigger_field', 'trigger_offset_days', 'total_sent', 'total_failed', 'total_skipped', 'last_fired_at', 'created_at', 'updated_at'],
  },
  // Actions are rewritten on save (old ones still referenced by executions move to position -id): two desktops that
  // saved one autoresponder apart end with one action per position, not both sets.
  {
    name: 'autoresponder_actions',
    pk: ['id'],
    autoId: true,
    cols: ['autoresponder_id', 'position', 'subject', 'body_html', 'delay_value', 'delay_unit', 'created_at', 'channel', 'text_body', 'content_sid', 'content_variables_json'],
    unique: { cols: ['autoresponder_id', 'position'], where: 'autoresponder_id = ? AND position = ? AND position > 0', key: (f) => JSON.stringify([f.autoresponder_id, f.position]) },
  },
  // One execution per autoresponder, contact, action and firing (its unique key, as in SQLite).
  {
    name: 'autoresponder_executions',
    pk: ['id'],
    autoId: true,
    cols: ['autoresponder_id', 'action_id', 'contact_id', 'fire_key', 'status', 'error', 'outbound_id', 'scheduled_for', 'created_at', 'updated_at'],
    unique: {
      cols: ['autoresponder_id', 'contact_id', 'action_id', 'fire_key'],
      where: 'autoresponder_id = ? AND contact_id = ? AND action_id = ? AND fire_key = ?',
      key: (f) => JSON.stringify([f.autoresponder_id, f.contact_id ?? null, f.action_id, f.fire_key]),
    },
  },
  // ---- team-flows (migration 0039): flows, their versioned graphs, the leads and their paths. The graph rows
  // are keyed by (flow, version, node) with no id: the later of a node's insert and delete decides whether it is
  // there. A contact is in a flow once: two desktops that enrolled it apart end with one lead (unique.ts), whose
  // path holds what both did. A lead's step_no counts its runner advances: with its id it names the step a claim is
  // for (flowRun.ts), the same on every desktop, whatever a hook did to its wait meanwhile. flow_node_counts is derived: each desktop counts the path entries it writes, and
  // migration 0039's trigger counts the ones that arrive.
  { name: 'flows', pk: ['id'], autoId: true, cols: ['object_id', 'name', 'trigger_json', 'status', 'version', 'created_at', 'updated_at'] },
  { name: 'flow_nodes', pk: ['flow_id', 'version', 'node_key'], autoId: false, cols: ['type', 'config_json', 'x', 'y', 'ord'], textKey: ['node_key'] },
  { name: 'flow_edges', pk: ['flow_id', 'version', 'from_key', 'to_key'], autoId: false, cols: ['branch'], textKey: ['from_key', 'to_key'] },
  {
    name: 'flow_leads',
    pk: ['id'],
    autoId: true,
    cols: ['flow_id', 'version', 'contact_id', 'status', 'current_node', 'wait_until', 'last_error', 'entered_at', 'updated_at', 'mailbox_id', 'step_no'],
    unique: { cols: ['flow_id', 'contact_id'], where: 'flow_id = ? AND contact_id = ?', key: (f) => JSON.stringify([f.flow_id, f.contact_id]), born: 'entered_at' },
  },
  { name: 'flow_lead_events', pk: ['id'], autoId: true, cols: ['lead_id', 'node_key', 'outcome', 'detail', 'outbound_id', 'at'] },
  // The mail retention policy (issue 18) is the business's, so it reaches every desktop; but the daily pass deletes
  // each desktop's own copies of old mail (the inbox is device-local), so every desktop runs it: not a job done
  // once across desktops. last_run_at is this desktop's pass.
  { name: 'data_retention', pk: ['object_id'], autoId: false, cols: ['months', 'updated_at'] },
]

/** Columns of shared tables that stay on each desktop (test/teamSchema.test.ts checks every column is one or the other). */
export const LOCAL_COLUMNS: Record<string, string[]> = {
  contacts: ['company_id', 'last_inbound_at', 'last_outbound_at'],
  tasks: ['thread_id', 'closed_by_message_id', 'reminded_at'],
  mailboxes: ['smtp_password_sealed', 'imap_password_sealed', 'status', 'status_reason', 'status_code'],
  object_mailgun_settings: ['api_key_sealed'],
  outbound_messages: ['lease_owner', 'lease_until', 'capacity_day', 'draft_id', 'communication_id', 'bulk_job_id', 'polled_at'],
  intake_rules: ['sequence_id'],
  data_retention: ['last_run_at'],
  autoresponders: ['date_checked_through'],
}

export const sharedTable = (name: string): SharedTable | undefined => SHARED_TABLES.find((t) => t.name === name)

/** The row key of an op: the primary-key values joined by ':' (contact_tags: 'tagId:contactId'). */
export const rowKeyOf = (t: SharedTable, row: Record<string, unknown>): string => t.pk.map((k) => String(row[k])).join(':')

/**
 * The primary-key values back from a row key: integers, but for the text parts a table names in textKey
 * (consent.channel), which stay text (SQLite binds either; no caller does arithmetic on them).
 */
// A one-column key is the whole row key, colons and all (an erased message's key is 'erased:<hmac>').
export const keyValues = (t: SharedTable, rowKey: string): number[] =>
  (t.pk.length === 1 ? [rowKey] : rowKey.split(':')).map((v, i) => (t.textKey?.includes(t.pk[i]) ? (v as unknown as number) : Number(v)))

// A UUIDv7 made in SQL: 48 bits of Unix milliseconds, version 7, variant 10, 74 random bits.
const UUID7_SQL = `(SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r))`

/** The capture triggers of one table: every local change appends an op in the same transaction. */
export function captureTriggersSql(t: SharedTable): string[] {
  const key = (p: 'new' | 'old') => t.pk.map((k) => `${p}.${k}`).join(` || ':' || `)
  const obj = (p: 'new' | 'old', extra: Record<string, string> = {}) =>
    `json_object(${[...t.cols.map((c) => `'${c}', ${p}.${c}`), ...Object.entries(extra).map(([k, v]) => `'${k}', ${v}`)].join(', ')})`
  // Captured only in a team workspace (a team_state row) and never while the replicator applies remote ops.
  const when = `EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0)`
  const op = (kind: string, rowKey: string, fields: string) =>
    `INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES (${UUID7_SQL}, '${t.name}', CAST(${rowKey} AS TEXT), '${kind}', ${fields}, (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));`
  // json_remove drops the unchanged fields: the op carries only what this write changed (per-field merge).
  // A device-local value (localValues) counts as unchanged: it is never captured.
  const local = (c: string) => (t.localValues?.[c] ? ` OR new.${c} IN (${t.localValues[c].map((v) => `'${v}'`).join(', ')})` : '')
  const removes = t.cols.map((c) => `CASE WHEN old.${c} IS new.${c}${local(c)} THEN '$.${c}' ELSE '$.__none' END`).join(', ')
  const changed = (c: string) => (t.localValues?.[c] ? `(old.${c} IS NOT new.${c} AND new.${c} NOT IN (${t.localValues[c].map((v) => `'${v}'`).join(', ')}))` : `old.${c} IS NOT new.${c}`)
  return [
    `CREATE TRIGGER \`team_${t.name}_ai\` AFTER INSERT ON \`${t.name}\` WHEN ${when} BEGIN\n  ${op('insert', key('new'), obj('new', t.insertContext))}\nEND;`,
    `CREATE TRIGGER \`team_${t.name}_au\` AFTER UPDATE ON \`${t.name}\` WHEN ${when} AND (${t.cols.map(changed).join(' OR ')}) BEGIN\n  ${op('update', key('new'), `json_remove(${obj('new')}, ${removes})`)}\nEND;`,
    `CREATE TRIGGER \`team_${t.name}_ad\` AFTER DELETE ON \`${t.name}\` WHEN ${when} BEGIN\n  ${op('delete', key('old'), `'{}'`)}\nEND;`,
  ]
}
