-- Issue 22: two desktops that made the same contact (same business, same address) apart end with one
-- (src/main/engine/team/merge.ts). Each contact's birth: the business and address its insert op carried, the
-- PostgreSQL position of that op (NULL: made here, not pushed yet), the desktop that made it and, once merged, the
-- contact it became. A later insert with the same key from another desktop aliases the earlier one when its desktop
-- had not seen it (the op's __cursor says what that desktop had seen), so every desktop pairs the same contacts
-- whatever order the ops arrive in.
CREATE TABLE `team_contact_births` (
	`contact_id` integer PRIMARY KEY NOT NULL,
	`object_key` integer NOT NULL,
	`email` text NOT NULL,
	`position` integer,
	`device_id` integer NOT NULL,
	`merged_into` integer
);
--> statement-breakpoint
CREATE INDEX `team_contact_births_key_idx` ON `team_contact_births` (`object_key`, `email`, `position`);
--> statement-breakpoint
-- A contact made here (not applied from another desktop) is born queued: position NULL until its push is acknowledged.
CREATE TRIGGER `contact_births_ai` AFTER INSERT ON `contacts` WHEN new.email IS NOT NULL AND EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT OR IGNORE INTO team_contact_births (contact_id, object_key, email, position, device_id, merged_into)
  SELECT new.id, ifnull(new.primary_object_id, 0), new.email, NULL, device_id, NULL FROM team_state WHERE id = 1;
END;
--> statement-breakpoint
-- Contacts queued here before this migration.
INSERT OR IGNORE INTO team_contact_births (contact_id, object_key, email, position, device_id, merged_into)
SELECT CAST(o.row_key AS INTEGER), ifnull(json_extract(o.fields, '$.primary_object_id'), 0), json_extract(o.fields, '$.email'), NULL, s.device_id, NULL
FROM team_ops o JOIN team_state s ON s.id = 1 WHERE o.tbl = 'contacts' AND o.kind = 'insert' AND json_extract(o.fields, '$.email') IS NOT NULL;
--> statement-breakpoint
-- The insert op of a contact carries the desktop's cursor (tables.ts insertContext).
DROP TRIGGER `team_contacts_ai`;
--> statement-breakpoint
CREATE TRIGGER `team_contacts_ai` AFTER INSERT ON `contacts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'contacts', CAST(new.id AS TEXT), 'insert', json_object('primary_object_id', new.primary_object_id, 'email', new.email, 'first_name', new.first_name, 'last_name', new.last_name, 'company', new.company, 'phone', new.phone, 'timezone', new.timezone, 'fields_json', new.fields_json, 'status', new.status, 'sort_name', new.sort_name, 'phone_search', new.phone_search, 'created_at', new.created_at, 'updated_at', new.updated_at, 'preferred_channel', new.preferred_channel, '__cursor', (SELECT cursor FROM team_state WHERE id = 1)), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
