-- Shared by the channels issue (17) and the data-rights issue (18): consent per contact and channel, and an
-- audit log. Hand-written, like the other migrations since 0014.
--
-- One row per contact and channel holds the current answer; every change is also a consent_events row, so
-- the contact page and a GDPR export can show when and from where consent was given or withdrawn.
CREATE TABLE `consent` (
	`contact_id` integer NOT NULL,
	-- 'email' | 'sms' | 'whatsapp'
	`channel` text NOT NULL,
	-- 'granted' | 'revoked' (no row: never asked, which email treats as allowed and texts too, unless revoked)
	`status` text NOT NULL,
	-- Where the answer came from: 'import', 'form', 'manual', 'inbound:STOP', 'twilio:21610', 'unsubscribe', …
	`source` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY (`contact_id`, `channel`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `consent_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contact_id` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `consent_events_contact_idx` ON `consent_events` (`contact_id`, `at`);--> statement-breakpoint
-- What staff did with people's data or the business's settings: exports, erases, imports, settings changes.
-- `detail` is JSON without personal data (ids and counts, never an address or a name), so an erase can keep it.
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer,
	`user_id` integer,
	-- 'contacts.export' | 'contacts.erase' | 'contacts.import' | 'settings.change' | …
	`action` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_object_idx` ON `audit_log` (`object_id`, `at`);
