-- Issues 18 and 22: an erased person's block (a suppressions row 'erased:' + HMAC of the address) replicates, but the
-- salt it was hashed with stayed in this desktop's app_settings, so another desktop of the workspace could not
-- recognise the block and let the person be added, imported and mailed again. The salts now live in a shared
-- table: each desktop tests an address against every salt of the workspace. A salt is made once and never changes.
CREATE TABLE `erase_salts` (
	`salt` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `team_erase_salts_ai` AFTER INSERT ON `erase_salts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erase_salts', CAST(new.salt AS TEXT), 'insert', json_object('created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_erase_salts_au` AFTER UPDATE ON `erase_salts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erase_salts', CAST(new.salt AS TEXT), 'update', json_remove(json_object('created_at', new.created_at), CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_erase_salts_ad` AFTER DELETE ON `erase_salts` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erase_salts', CAST(old.salt AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;

--> statement-breakpoint
-- This desktop's salt, made by an erase before this migration. Captured when the desktop is already in a workspace,
-- so the blocks it pushed before become readable on the other desktops.
INSERT INTO `erase_salts` (salt, created_at) SELECT value, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM app_settings WHERE key = 'dataRights.salt';
--> statement-breakpoint
DELETE FROM app_settings WHERE key = 'dataRights.salt';
