-- Issue 17: several phone numbers per contact, stored E.164, and the business's country that national numbers
-- ("555-555-0123") are read by. Hand-written, like the other migrations since 0014.
--
-- The business's country: ISO 3166 alpha-2 ('US'). NULL: derived from its time zone when read
-- (src/shared/phones.ts countryFromTimezone), until someone sets it in the business settings.
ALTER TABLE `objects` ADD `country` text;
--> statement-breakpoint
CREATE TABLE `contact_phones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contact_id` integer NOT NULL,
	-- E.164 ('+15555550123'); a number migrated from before this table that could not be read stays as typed.
	`number` text NOT NULL,
	`label` text DEFAULT 'mobile' NOT NULL CHECK (`label` IN ('mobile', 'work', 'home', 'other')),
	`is_primary` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_phones_contact_number_uq` ON `contact_phones` (`contact_id`, `number`);
--> statement-breakpoint
-- One primary per contact; contacts.phone is a copy of it (the grid, search, segments and templates read it).
CREATE UNIQUE INDEX `contact_phones_primary_uq` ON `contact_phones` (`contact_id`) WHERE `is_primary` = 1;
--> statement-breakpoint
-- Inbound texts find their contact by number.
CREATE INDEX `contact_phones_number_idx` ON `contact_phones` (`number`);
--> statement-breakpoint
-- Every number a contact has, in the forms people search by ('+15555550123 5555550123 (555) 555-0123 …'):
-- what contacts_fts indexes as its phone column from now on (an E.164 number alone is one token, '15555550123',
-- and typing '555' would no longer find it). Written by the engine with the phones; until the engine's
-- one-time pass (services/contactPhones.ts) it is the number as typed, as the old index held it.
ALTER TABLE `contacts` ADD `phone_search` text DEFAULT '' NOT NULL;
--> statement-breakpoint
UPDATE `contacts` SET `phone_search` = `phone` WHERE `phone` <> '';
--> statement-breakpoint
INSERT INTO `contact_phones` (`contact_id`, `number`, `label`, `is_primary`, `created_at`)
  SELECT `id`, `phone`, 'other', 1, `created_at` FROM `contacts` WHERE `phone` <> '';
--> statement-breakpoint
DROP TRIGGER `contacts_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `contacts_fts_au`;
--> statement-breakpoint
-- The index reads its content through this view, so FTS5's own 'rebuild' and 'integrity-check' see the same
-- phone text the triggers index (contacts.phone_search), not contacts.phone. Same columns, tokenizer, prefixes.
DROP TABLE `contacts_fts`;
--> statement-breakpoint
CREATE VIEW `contacts_fts_content` AS
  SELECT id, ifnull(email, '') AS email, first_name, last_name, company, phone_search AS phone FROM contacts;
--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(
  email, first_name, last_name, company, phone,
  content='contacts_fts_content', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
--> statement-breakpoint
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_ad` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, email, first_name, last_name, company, phone)
  VALUES ('delete', old.id, ifnull(old.email, ''), old.first_name, old.last_name, old.company, old.phone_search);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_au` AFTER UPDATE OF email, first_name, last_name, company, phone_search ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, email, first_name, last_name, company, phone)
  VALUES ('delete', old.id, ifnull(old.email, ''), old.first_name, old.last_name, old.company, old.phone_search);
  INSERT INTO contacts_fts(rowid, email, first_name, last_name, company, phone)
  VALUES (new.id, ifnull(new.email, ''), new.first_name, new.last_name, new.company, new.phone_search);
END;
--> statement-breakpoint
-- Pending until the engine has read every migrated number into E.164 where it could (services/contactPhones.ts).
INSERT INTO `app_settings` (`key`, `value`) SELECT 'phones.normalizePending', '1' WHERE EXISTS (SELECT 1 FROM `contacts` WHERE `phone` <> '');
