-- Issue 22: the team workspace's local side. Hand-written (triggers); the capture triggers are printed by
-- captureTriggersSql (src/main/engine/team/tables.ts) and test/teamSchema.test.ts checks they still match it.
--
-- One row while this desktop is in a team workspace (none: solo, nothing is captured). applying = 1 while the
-- replicator applies remote ops, so they are not captured again. The password of this desktop's PostgreSQL
-- role is sealed by the engine's SecretBox; database_url carries no password.
CREATE TABLE `team_state` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`workspace_id` text NOT NULL,
	`device_id` integer NOT NULL,
	`user_email` text NOT NULL,
	`user_role` text NOT NULL CHECK (`user_role` IN ('admin', 'staff')),
	`database_url` text NOT NULL,
	`role_name` text NOT NULL,
	`password_sealed` text NOT NULL,
	-- This desktop's current id block: new rows of shared tables take ids from [block_start, block_start + 2^24).
	`block_start` integer NOT NULL,
	-- The position of the last PostgreSQL op applied here.
	`cursor` integer DEFAULT 0 NOT NULL,
	`last_synced_at` integer,
	`applying` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
-- Local changes not yet in PostgreSQL, in the order they were made (seq). Written by the capture triggers in the
-- transaction of the change itself, so no write path can forget one; deleted once PostgreSQL has them.
CREATE TABLE `team_ops` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`tbl` text NOT NULL,
	`row_key` text NOT NULL,
	`kind` text NOT NULL CHECK (`kind` IN ('insert', 'update', 'delete')),
	`fields` text NOT NULL,
	`user_email` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_ops_id_uq` ON `team_ops` (`id`);
--> statement-breakpoint
-- Per field, the PostgreSQL position of the op that wrote the value this desktop holds: an older op never
-- overwrites a newer one, whatever order they arrive in.
CREATE TABLE `team_field_versions` (
	`tbl` text NOT NULL,
	`row_key` text NOT NULL,
	`field` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY (`tbl`, `row_key`, `field`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Rows deleted anywhere: a delete beats every update, earlier or later.
CREATE TABLE `team_tombstones` (
	`tbl` text NOT NULL,
	`row_key` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY (`tbl`, `row_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `team_objects_ai` AFTER INSERT ON `objects` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'objects', CAST(new.id AS TEXT), 'insert', json_object('name', new.name, 'postal_address', new.postal_address, 'timezone', new.timezone, 'unsubscribe_url', new.unsubscribe_url, 'country', new.country, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_objects_au` AFTER UPDATE ON `objects` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.name IS NOT new.name OR old.postal_address IS NOT new.postal_address OR old.timezone IS NOT new.timezone OR old.unsubscribe_url IS NOT new.unsubscribe_url OR old.country IS NOT new.country OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'objects', CAST(new.id AS TEXT), 'update', json_remove(json_object('name', new.name, 'postal_address', new.postal_address, 'timezone', new.timezone, 'unsubscribe_url', new.unsubscribe_url, 'country', new.country, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.postal_address IS new.postal_address THEN '$.postal_address' ELSE '$.__none' END, CASE WHEN old.timezone IS new.timezone THEN '$.timezone' ELSE '$.__none' END, CASE WHEN old.unsubscribe_url IS new.unsubscribe_url THEN '$.unsubscribe_url' ELSE '$.__none' END, CASE WHEN old.country IS new.country THEN '$.country' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_objects_ad` AFTER DELETE ON `objects` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'objects', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_users_ai` AFTER INSERT ON `users` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'users', CAST(new.id AS TEXT), 'insert', json_object('name', new.name, 'email', new.email, 'created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_users_au` AFTER UPDATE ON `users` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.name IS NOT new.name OR old.email IS NOT new.email OR old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'users', CAST(new.id AS TEXT), 'update', json_remove(json_object('name', new.name, 'email', new.email, 'created_at', new.created_at), CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.email IS new.email THEN '$.email' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_users_ad` AFTER DELETE ON `users` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'users', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contacts_ai` AFTER INSERT ON `contacts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contacts', CAST(new.id AS TEXT), 'insert', json_object('primary_object_id', new.primary_object_id, 'email', new.email, 'first_name', new.first_name, 'last_name', new.last_name, 'company', new.company, 'phone', new.phone, 'timezone', new.timezone, 'fields_json', new.fields_json, 'status', new.status, 'sort_name', new.sort_name, 'phone_search', new.phone_search, 'created_at', new.created_at, 'updated_at', new.updated_at, 'preferred_channel', new.preferred_channel), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END
--> statement-breakpoint
CREATE TRIGGER `team_contacts_au` AFTER UPDATE ON `contacts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.primary_object_id IS NOT new.primary_object_id OR old.email IS NOT new.email OR old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.company IS NOT new.company OR old.phone IS NOT new.phone OR old.timezone IS NOT new.timezone OR old.fields_json IS NOT new.fields_json OR old.status IS NOT new.status OR old.sort_name IS NOT new.sort_name OR old.phone_search IS NOT new.phone_search OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at OR old.preferred_channel IS NOT new.preferred_channel) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contacts', CAST(new.id AS TEXT), 'update', json_remove(json_object('primary_object_id', new.primary_object_id, 'email', new.email, 'first_name', new.first_name, 'last_name', new.last_name, 'company', new.company, 'phone', new.phone, 'timezone', new.timezone, 'fields_json', new.fields_json, 'status', new.status, 'sort_name', new.sort_name, 'phone_search', new.phone_search, 'created_at', new.created_at, 'updated_at', new.updated_at, 'preferred_channel', new.preferred_channel), CASE WHEN old.primary_object_id IS new.primary_object_id THEN '$.primary_object_id' ELSE '$.__none' END, CASE WHEN old.email IS new.email THEN '$.email' ELSE '$.__none' END, CASE WHEN old.first_name IS new.first_name THEN '$.first_name' ELSE '$.__none' END, CASE WHEN old.last_name IS new.last_name THEN '$.last_name' ELSE '$.__none' END, CASE WHEN old.company IS new.company THEN '$.company' ELSE '$.__none' END, CASE WHEN old.phone IS new.phone THEN '$.phone' ELSE '$.__none' END, CASE WHEN old.timezone IS new.timezone THEN '$.timezone' ELSE '$.__none' END, CASE WHEN old.fields_json IS new.fields_json THEN '$.fields_json' ELSE '$.__none' END, CASE WHEN old.status IS new.status THEN '$.status' ELSE '$.__none' END, CASE WHEN old.sort_name IS new.sort_name THEN '$.sort_name' ELSE '$.__none' END, CASE WHEN old.phone_search IS new.phone_search THEN '$.phone_search' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END, CASE WHEN old.preferred_channel IS new.preferred_channel THEN '$.preferred_channel' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END
--> statement-breakpoint
CREATE TRIGGER `team_contacts_ad` AFTER DELETE ON `contacts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contacts', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END
--> statement-breakpoint
CREATE TRIGGER `team_contact_emails_ai` AFTER INSERT ON `contact_emails` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_emails', CAST(new.id AS TEXT), 'insert', json_object('contact_id', new.contact_id, 'email', new.email, 'created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_emails_au` AFTER UPDATE ON `contact_emails` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.contact_id IS NOT new.contact_id OR old.email IS NOT new.email OR old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_emails', CAST(new.id AS TEXT), 'update', json_remove(json_object('contact_id', new.contact_id, 'email', new.email, 'created_at', new.created_at), CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.email IS new.email THEN '$.email' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_emails_ad` AFTER DELETE ON `contact_emails` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_emails', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_phones_ai` AFTER INSERT ON `contact_phones` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_phones', CAST(new.id AS TEXT), 'insert', json_object('contact_id', new.contact_id, 'number', new.number, 'label', new.label, 'is_primary', new.is_primary, 'created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_phones_au` AFTER UPDATE ON `contact_phones` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.contact_id IS NOT new.contact_id OR old.number IS NOT new.number OR old.label IS NOT new.label OR old.is_primary IS NOT new.is_primary OR old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_phones', CAST(new.id AS TEXT), 'update', json_remove(json_object('contact_id', new.contact_id, 'number', new.number, 'label', new.label, 'is_primary', new.is_primary, 'created_at', new.created_at), CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.number IS new.number THEN '$.number' ELSE '$.__none' END, CASE WHEN old.label IS new.label THEN '$.label' ELSE '$.__none' END, CASE WHEN old.is_primary IS new.is_primary THEN '$.is_primary' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_phones_ad` AFTER DELETE ON `contact_phones` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_phones', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tags_ai` AFTER INSERT ON `tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tags', CAST(new.id AS TEXT), 'insert', json_object('name', new.name, 'color', new.color, 'created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tags_au` AFTER UPDATE ON `tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.name IS NOT new.name OR old.color IS NOT new.color OR old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tags', CAST(new.id AS TEXT), 'update', json_remove(json_object('name', new.name, 'color', new.color, 'created_at', new.created_at), CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.color IS new.color THEN '$.color' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tags_ad` AFTER DELETE ON `tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tags', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_tags_ai` AFTER INSERT ON `contact_tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_tags', CAST(new.tag_id || ':' || new.contact_id AS TEXT), 'insert', json_object('created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_tags_au` AFTER UPDATE ON `contact_tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_tags', CAST(new.tag_id || ':' || new.contact_id AS TEXT), 'update', json_remove(json_object('created_at', new.created_at), CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_tags_ad` AFTER DELETE ON `contact_tags` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_tags', CAST(old.tag_id || ':' || old.contact_id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_notes_ai` AFTER INSERT ON `contact_notes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_notes', CAST(new.id AS TEXT), 'insert', json_object('contact_id', new.contact_id, 'author_user_id', new.author_user_id, 'body_html', new.body_html, 'body_text', new.body_text, 'pinned', new.pinned, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_notes_au` AFTER UPDATE ON `contact_notes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.contact_id IS NOT new.contact_id OR old.author_user_id IS NOT new.author_user_id OR old.body_html IS NOT new.body_html OR old.body_text IS NOT new.body_text OR old.pinned IS NOT new.pinned OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_notes', CAST(new.id AS TEXT), 'update', json_remove(json_object('contact_id', new.contact_id, 'author_user_id', new.author_user_id, 'body_html', new.body_html, 'body_text', new.body_text, 'pinned', new.pinned, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.author_user_id IS new.author_user_id THEN '$.author_user_id' ELSE '$.__none' END, CASE WHEN old.body_html IS new.body_html THEN '$.body_html' ELSE '$.__none' END, CASE WHEN old.body_text IS new.body_text THEN '$.body_text' ELSE '$.__none' END, CASE WHEN old.pinned IS new.pinned THEN '$.pinned' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_contact_notes_ad` AFTER DELETE ON `contact_notes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contact_notes', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tasks_ai` AFTER INSERT ON `tasks` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tasks', CAST(new.id AS TEXT), 'insert', json_object('title', new.title, 'contact_id', new.contact_id, 'assignee_user_id', new.assignee_user_id, 'created_by_user_id', new.created_by_user_id, 'due_at', new.due_at, 'done_at', new.done_at, 'close_on_reply', new.close_on_reply, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tasks_au` AFTER UPDATE ON `tasks` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.title IS NOT new.title OR old.contact_id IS NOT new.contact_id OR old.assignee_user_id IS NOT new.assignee_user_id OR old.created_by_user_id IS NOT new.created_by_user_id OR old.due_at IS NOT new.due_at OR old.done_at IS NOT new.done_at OR old.close_on_reply IS NOT new.close_on_reply OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tasks', CAST(new.id AS TEXT), 'update', json_remove(json_object('title', new.title, 'contact_id', new.contact_id, 'assignee_user_id', new.assignee_user_id, 'created_by_user_id', new.created_by_user_id, 'due_at', new.due_at, 'done_at', new.done_at, 'close_on_reply', new.close_on_reply, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.title IS new.title THEN '$.title' ELSE '$.__none' END, CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.assignee_user_id IS new.assignee_user_id THEN '$.assignee_user_id' ELSE '$.__none' END, CASE WHEN old.created_by_user_id IS new.created_by_user_id THEN '$.created_by_user_id' ELSE '$.__none' END, CASE WHEN old.due_at IS new.due_at THEN '$.due_at' ELSE '$.__none' END, CASE WHEN old.done_at IS new.done_at THEN '$.done_at' ELSE '$.__none' END, CASE WHEN old.close_on_reply IS new.close_on_reply THEN '$.close_on_reply' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_tasks_ad` AFTER DELETE ON `tasks` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'tasks', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
