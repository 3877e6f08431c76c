-- Segments and companies (issue 19).
-- Companies: a business's customers' organisations, matched to contacts by email domain.
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer,
	`name` text NOT NULL,
	-- Lower case, no "www."; NULL when the company has no domain of its own (people on gmail.com).
	`domain` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- One company per domain per business (NULL business = 0, like contacts' email key).
CREATE UNIQUE INDEX `companies_domain_uq` ON `companies` (ifnull(`object_id`, 0), `domain`) WHERE domain IS NOT NULL;--> statement-breakpoint
CREATE INDEX `companies_name_idx` ON `companies` (`name` COLLATE NOCASE, `id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `company_id` integer REFERENCES `companies`(`id`) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `contacts_company_id_idx` ON `contacts` (`company_id`, `sort_name`, `id`) WHERE company_id IS NOT NULL;--> statement-breakpoint
-- A contact created (or given an email) at a company's domain joins that company, whichever path wrote it
-- (contacts.create, the CSV import, the demo): the trigger is the one place, so no path can forget it.
CREATE TRIGGER `contacts_company_on_insert` AFTER INSERT ON `contacts`
WHEN NEW.company_id IS NULL AND NEW.email IS NOT NULL
BEGIN
	UPDATE contacts SET company_id = (
		SELECT co.id FROM companies co
		WHERE co.domain = lower(substr(NEW.email, instr(NEW.email, '@') + 1))
		  AND (co.object_id IS NULL OR co.object_id IS NEW.primary_object_id)
		ORDER BY co.object_id IS NULL, co.id LIMIT 1)
	WHERE id = NEW.id;
END;--> statement-breakpoint
CREATE TRIGGER `contacts_company_on_email` AFTER UPDATE OF `email` ON `contacts`
WHEN NEW.company_id IS NULL AND NEW.email IS NOT NULL AND NEW.email IS NOT OLD.email
BEGIN
	UPDATE contacts SET company_id = (
		SELECT co.id FROM companies co
		WHERE co.domain = lower(substr(NEW.email, instr(NEW.email, '@') + 1))
		  AND (co.object_id IS NULL OR co.object_id IS NEW.primary_object_id)
		ORDER BY co.object_id IS NULL, co.id LIMIT 1)
	WHERE id = NEW.id;
END;--> statement-breakpoint
-- Segments: a saved filter over contacts, compiled to SQL when it is used (engine/repos/segmentSql.ts).
CREATE TABLE `segments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer,
	`name` text NOT NULL,
	`rules_json` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `segments_name_uq` ON `segments` (ifnull(`object_id`, 0), `name` COLLATE NOCASE);--> statement-breakpoint
-- Last activity per contact, denormalised so "no reply in 30 days" is an index range, not a scan of the mail.
-- Inbound: the newest real mail from the contact (auto-replies and bounces are not the contact speaking).
-- Outbound: the newest mail to the contact, whether sent by the app (outbox row sent) or synced from Sent.
-- Kept by the triggers below on every write path; deleting mail later does not undo the fact that it was
-- exchanged (as HubSpot's "last contacted"), but a manual unlink recomputes the contact's dates.
ALTER TABLE `contacts` ADD `last_inbound_at` integer;--> statement-breakpoint
ALTER TABLE `contacts` ADD `last_outbound_at` integer;--> statement-breakpoint
-- One narrow covering index for counting segments: business, status and the dates are read from it without
-- touching the wide contact rows (a full pass over it is a fraction of a table scan). Single-column indexes
-- on the dates would be worse: "before 30 days" matches most rows, and a range over such an index reads
-- every row by rowid.
CREATE INDEX `contacts_segment_idx` ON `contacts` (`primary_object_id`, `status`, `last_inbound_at`, `last_outbound_at`, `company_id`, `created_at`);--> statement-breakpoint
CREATE TRIGGER `contacts_activity_on_link` AFTER INSERT ON `message_contacts`
WHEN NEW.linked = 1
BEGIN
	UPDATE contacts SET last_inbound_at = m.date FROM (SELECT date FROM messages WHERE id = NEW.message_id AND direction = 'in' AND is_auto_reply = 0 AND is_bounce = 0) AS m
	WHERE contacts.id = NEW.contact_id AND ifnull(contacts.last_inbound_at, -1) < m.date;
	UPDATE contacts SET last_outbound_at = m.date FROM (SELECT date FROM messages WHERE id = NEW.message_id AND direction = 'out') AS m
	WHERE contacts.id = NEW.contact_id AND ifnull(contacts.last_outbound_at, -1) < m.date;
END;--> statement-breakpoint
CREATE TRIGGER `contacts_activity_on_relink` AFTER UPDATE OF `linked` ON `message_contacts`
WHEN NEW.linked IS NOT OLD.linked
BEGIN
	UPDATE contacts SET
		last_inbound_at = (SELECT max(m.date) FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
			WHERE mc.contact_id = NEW.contact_id AND mc.linked = 1 AND m.direction = 'in' AND m.is_auto_reply = 0 AND m.is_bounce = 0),
		last_outbound_at = (SELECT max(t) FROM (
			SELECT m.date AS t FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
			WHERE mc.contact_id = NEW.contact_id AND mc.linked = 1 AND m.direction = 'out'
			UNION ALL SELECT sent_at FROM outbound_messages WHERE contact_id = NEW.contact_id AND sent_at IS NOT NULL))
	WHERE id = NEW.contact_id;
END;--> statement-breakpoint
CREATE TRIGGER `contacts_activity_on_send` AFTER UPDATE OF `status` ON `outbound_messages`
WHEN NEW.status = 'sent' AND OLD.status IS NOT 'sent' AND NEW.contact_id IS NOT NULL AND NEW.sent_at IS NOT NULL
BEGIN
	UPDATE contacts SET last_outbound_at = NEW.sent_at WHERE id = NEW.contact_id AND ifnull(last_outbound_at, -1) < NEW.sent_at;
END;--> statement-breakpoint
UPDATE contacts SET
	last_inbound_at = (SELECT max(m.date) FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
		WHERE mc.contact_id = contacts.id AND mc.linked = 1 AND m.direction = 'in' AND m.is_auto_reply = 0 AND m.is_bounce = 0),
	last_outbound_at = (SELECT max(t) FROM (
		SELECT m.date AS t FROM message_contacts mc JOIN messages m ON m.id = mc.message_id
		WHERE mc.contact_id = contacts.id AND mc.linked = 1 AND m.direction = 'out'
		UNION ALL SELECT sent_at FROM outbound_messages WHERE contact_id = contacts.id AND sent_at IS NOT NULL));--> statement-breakpoint
-- "Replied / opened in a period": engagement events by type and time, only those (the hot send path's other
-- events stay out of this index). Queries repeat the WHERE so SQLite can use it.
CREATE INDEX `message_events_engagement_idx` ON `message_events` (`type`, `at`, `outbound_id`) WHERE type IN ('replied', 'opened', 'clicked');
--> statement-breakpoint
-- Mail from a company's domain reaches its page even from an address no contact has yet (issue 19).
CREATE INDEX `messages_from_domain_idx` ON `messages` (lower(substr(`from_email`, instr(`from_email`, '@') + 1)), `date`) WHERE `from_email` IS NOT NULL;
