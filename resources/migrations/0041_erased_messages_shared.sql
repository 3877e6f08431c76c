-- Issues 18 and 22: an erase removed the person's mail from the desktop that ran it only; each other desktop of the
-- workspace keeps its own IMAP copy and kept the messages. The salted keys of erased messages (Message-ID, or where
-- the message was) now replicate: every desktop deletes its copies of them when they arrive, and its sync (a new
-- desktop's first one too) never stores them again. Keys made before this migration are captured too.
CREATE TRIGGER `team_erased_messages_ai` AFTER INSERT ON `erased_messages` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erased_messages', CAST(new.key AS TEXT), 'insert', json_object('created_at', new.created_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_erased_messages_au` AFTER UPDATE ON `erased_messages` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.created_at IS NOT new.created_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erased_messages', CAST(new.key AS TEXT), 'update', json_remove(json_object('created_at', new.created_at), CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_erased_messages_ad` AFTER DELETE ON `erased_messages` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'erased_messages', CAST(old.key AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
-- Keys this desktop made before, captured when it is already in a workspace (each op its own random id).
INSERT INTO `team_ops` (id, tbl, row_key, kind, fields, user_email, at)
  SELECT lower(printf('%s-%s-7%s-%s%s-%s', substr(printf('%012x', ms), 1, 8), substr(printf('%012x', ms), 9, 4), substr(hex(randomblob(2)), 1, 3),
           substr('89ab', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 1, 3), hex(randomblob(6)))),
         'erased_messages', CAST(e.key AS TEXT), 'insert', json_object('created_at', e.created_at), (SELECT user_email FROM team_state WHERE id = 1), ms
  FROM erased_messages e, (SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS ms)
  WHERE EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0);
