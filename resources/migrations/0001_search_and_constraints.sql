-- Hand-written: drizzle-kit cannot express expression indexes with several arguments, nor FTS5 tables.
-- Email is unique per object (emails are stored lower-cased); contacts without an object share object 0.
CREATE UNIQUE INDEX `contacts_object_email_uq` ON `contacts` (ifnull(`primary_object_id`, 0), `email`) WHERE `email` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `contacts_email_sort_idx` ON `contacts` (ifnull(`email`, ''), `id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_uq` ON `suppressions` (ifnull(`object_id`, 0), `email`);
--> statement-breakpoint
-- Substring search over the contact grid: trigram FTS5 kept in step with contacts by triggers.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(
  email, first_name, last_name, company, phone,
  content='contacts', content_rowid='id', tokenize='trigram'
);
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_ai` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO contacts_fts(rowid, email, first_name, last_name, company, phone)
  VALUES (new.id, ifnull(new.email, ''), new.first_name, new.last_name, new.company, new.phone);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_ad` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, email, first_name, last_name, company, phone)
  VALUES ('delete', old.id, ifnull(old.email, ''), old.first_name, old.last_name, old.company, old.phone);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_au` AFTER UPDATE OF email, first_name, last_name, company, phone ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, email, first_name, last_name, company, phone)
  VALUES ('delete', old.id, ifnull(old.email, ''), old.first_name, old.last_name, old.company, old.phone);
  INSERT INTO contacts_fts(rowid, email, first_name, last_name, company, phone)
  VALUES (new.id, ifnull(new.email, ''), new.first_name, new.last_name, new.company, new.phone);
END;
