-- Issue 22 (team-domains): suppressions, consent (with its history), segments and intake rules replicate. The capture
-- triggers are printed by captureTriggersSql (src/main/engine/team/tables.ts); test/teamSchema.test.ts checks they match.
-- Custom fields need nothing here: they are keys of contacts.fields_json, which replicates with the contact.
-- Automation (autoresponders, sequences, flows and their runs) stays on each desktop until its steps are claimed.
--
-- Two desktops that made the same suppression or segment name apart end with one row (team/unique.ts): a later
-- row's id stands for the survivor's from then on. A row of this desktop renamed to the survivor remembers what
-- it was, so a delete of the survivor that came before it (in PostgreSQL's order) parts them again: its insert's
-- position (split_before; NULL: its insert was still queued, as insert_seq with its fields), and the fields it was
-- made with (own_fields, JSON).
CREATE TABLE `team_aliases` (
	`tbl` text NOT NULL,
	`row_key` text NOT NULL,
	`alias_of` text NOT NULL,
	`split_before` integer,
	`insert_seq` integer,
	`own_fields` text,
	`insert_fields` text,
	`renamed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`tbl`, `row_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `team_aliases_of_idx` ON `team_aliases` (`tbl`, `alias_of`);
--> statement-breakpoint
-- Rows of a unique key deleted on this desktop: a copy of the key made apart elsewhere, earlier in PostgreSQL's order
-- than this delete (or while it is still queued), is the same row, deleted here. Written by the triggers below.
-- born: the position of the row's insert (NULL while that insert is queued: set when its push is acknowledged).
CREATE TABLE `team_unique_deleted` (
	`tbl` text NOT NULL,
	`row_key` text NOT NULL,
	`key_json` text NOT NULL,
	`born` integer,
	PRIMARY KEY (`tbl`, `row_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `unique_suppressions_ad` AFTER DELETE ON `suppressions` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT OR REPLACE INTO team_unique_deleted (tbl, row_key, key_json, born) VALUES ('suppressions', CAST(old.id AS TEXT), json_array(ifnull(old.object_id, 0), old.email),
    (SELECT position FROM team_field_versions WHERE tbl = 'suppressions' AND row_key = CAST(old.id AS TEXT) AND field = 'created_at'));
END;
--> statement-breakpoint
CREATE TRIGGER `unique_segments_ad` AFTER DELETE ON `segments` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT OR REPLACE INTO team_unique_deleted (tbl, row_key, key_json, born) VALUES ('segments', CAST(old.id AS TEXT), json_array(ifnull(old.object_id, 0), lower(old.name)),
    (SELECT position FROM team_field_versions WHERE tbl = 'segments' AND row_key = CAST(old.id AS TEXT) AND field = 'created_at'));
END;
--> statement-breakpoint
-- A queued insert of a row deleted here reaches PostgreSQL: its position is the row's birth.
CREATE TRIGGER `unique_born_ai` AFTER INSERT ON `team_field_versions` WHEN new.field = 'created_at' AND new.tbl IN ('suppressions', 'segments') BEGIN
  UPDATE team_unique_deleted SET born = new.position WHERE tbl = new.tbl AND row_key = new.row_key AND born IS NULL;
END;
--> statement-breakpoint
-- A desktop already in a workspace: new rows of these tables take ids from its block at once, as the others do
-- (the rows made before stay on this desktop: their ids may be another desktop's too).
INSERT OR IGNORE INTO sqlite_sequence (name, seq) SELECT n.name, 0 FROM team_state, (SELECT 'suppressions' AS name UNION ALL SELECT 'consent_events' UNION ALL SELECT 'segments' UNION ALL SELECT 'intake_rules') AS n WHERE team_state.id = 1 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = n.name);
--> statement-breakpoint
UPDATE sqlite_sequence SET seq = max(seq, (SELECT block_start - 1 FROM team_state WHERE id = 1)) WHERE name IN ('suppressions', 'consent_events', 'segments', 'intake_rules') AND EXISTS (SELECT 1 FROM team_state WHERE id = 1);
--> statement-breakpoint
CREATE TRIGGER `team_suppressions_ai` AFTER INSERT ON `suppressions` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'suppressions', CAST(new.id AS TEXT), 'insert', json_object('object_id', new.object_id, 'email', new.email, 'reason', new.reason, 'created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_suppressions_au` AFTER UPDATE ON `suppressions` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.object_id IS NOT new.object_id OR old.email IS NOT new.email OR old.reason IS NOT new.reason OR old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'suppressions', CAST(new.id AS TEXT), 'update', json_remove(json_object('object_id', new.object_id, 'email', new.email, 'reason', new.reason, 'created_at', new.created_at), CASE WHEN old.object_id IS new.object_id THEN '$.object_id' ELSE '$.__none' END, CASE WHEN old.email IS new.email THEN '$.email' ELSE '$.__none' END, CASE WHEN old.reason IS new.reason THEN '$.reason' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_suppressions_ad` AFTER DELETE ON `suppressions` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'suppressions', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_ai` AFTER INSERT ON `consent` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent', CAST(new.contact_id || ':' || new.channel AS TEXT), 'insert', json_object('status', new.status, 'source', new.source, 'at', new.at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_au` AFTER UPDATE ON `consent` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.status IS NOT new.status OR old.source IS NOT new.source OR old.at IS NOT new.at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent', CAST(new.contact_id || ':' || new.channel AS TEXT), 'update', json_remove(json_object('status', new.status, 'source', new.source, 'at', new.at), CASE WHEN old.status IS new.status THEN '$.status' ELSE '$.__none' END, CASE WHEN old.source IS new.source THEN '$.source' ELSE '$.__none' END, CASE WHEN old.at IS new.at THEN '$.at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_ad` AFTER DELETE ON `consent` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent', CAST(old.contact_id || ':' || old.channel AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_events_ai` AFTER INSERT ON `consent_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent_events', CAST(new.id AS TEXT), 'insert', json_object('contact_id', new.contact_id, 'channel', new.channel, 'status', new.status, 'source', new.source, 'at', new.at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_events_au` AFTER UPDATE ON `consent_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.contact_id IS NOT new.contact_id OR old.channel IS NOT new.channel OR old.status IS NOT new.status OR old.source IS NOT new.source OR old.at IS NOT new.at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent_events', CAST(new.id AS TEXT), 'update', json_remove(json_object('contact_id', new.contact_id, 'channel', new.channel, 'status', new.status, 'source', new.source, 'at', new.at), CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.channel IS new.channel THEN '$.channel' ELSE '$.__none' END, CASE WHEN old.status IS new.status THEN '$.status' ELSE '$.__none' END, CASE WHEN old.source IS new.source THEN '$.source' ELSE '$.__none' END, CASE WHEN old.at IS new.at THEN '$.at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_consent_events_ad` AFTER DELETE ON `consent_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'consent_events', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_segments_ai` AFTER INSERT ON `segments` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'segments', CAST(new.id AS TEXT), 'insert', json_object('object_id', new.object_id, 'name', new.name, 'rules_json', new.rules_json, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_segments_au` AFTER UPDATE ON `segments` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.object_id IS NOT new.object_id OR old.name IS NOT new.name OR old.rules_json IS NOT new.rules_json OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'segments', CAST(new.id AS TEXT), 'update', json_remove(json_object('object_id', new.object_id, 'name', new.name, 'rules_json', new.rules_json, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.object_id IS new.object_id THEN '$.object_id' ELSE '$.__none' END, CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.rules_json IS new.rules_json THEN '$.rules_json' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_segments_ad` AFTER DELETE ON `segments` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'segments', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_intake_rules_ai` AFTER INSERT ON `intake_rules` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'intake_rules', CAST(new.id AS TEXT), 'insert', json_object('object_id', new.object_id, 'name', new.name, 'enabled', new.enabled, 'from_match', new.from_match, 'to_match', new.to_match, 'subject_match', new.subject_match, 'subject_mode', new.subject_mode, 'field_map_json', new.field_map_json, 'tag_ids_json', new.tag_ids_json, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_intake_rules_au` AFTER UPDATE ON `intake_rules` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.object_id IS NOT new.object_id OR old.name IS NOT new.name OR old.enabled IS NOT new.enabled OR old.from_match IS NOT new.from_match OR old.to_match IS NOT new.to_match OR old.subject_match IS NOT new.subject_match OR old.subject_mode IS NOT new.subject_mode OR old.field_map_json IS NOT new.field_map_json OR old.tag_ids_json IS NOT new.tag_ids_json OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'intake_rules', CAST(new.id AS TEXT), 'update', json_remove(json_object('object_id', new.object_id, 'name', new.name, 'enabled', new.enabled, 'from_match', new.from_match, 'to_match', new.to_match, 'subject_match', new.subject_match, 'subject_mode', new.subject_mode, 'field_map_json', new.field_map_json, 'tag_ids_json', new.tag_ids_json, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.object_id IS new.object_id THEN '$.object_id' ELSE '$.__none' END, CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.enabled IS new.enabled THEN '$.enabled' ELSE '$.__none' END, CASE WHEN old.from_match IS new.from_match THEN '$.from_match' ELSE '$.__none' END, CASE WHEN old.to_match IS new.to_match THEN '$.to_match' ELSE '$.__none' END, CASE WHEN old.subject_match IS new.subject_match THEN '$.subject_match' ELSE '$.__none' END, CASE WHEN old.subject_mode IS new.subject_mode THEN '$.subject_mode' ELSE '$.__none' END, CASE WHEN old.field_map_json IS new.field_map_json THEN '$.field_map_json' ELSE '$.__none' END, CASE WHEN old.tag_ids_json IS new.tag_ids_json THEN '$.tag_ids_json' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_intake_rules_ad` AFTER DELETE ON `intake_rules` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'intake_rules', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
