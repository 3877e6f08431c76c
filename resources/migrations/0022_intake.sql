-- Intake (issue 18 items 3 and 4): web-form intake rules, the once-per-message record of what intake did,
-- and receiving through Mailgun (a stored() route polled through the events API). Hand-written.
--
-- A rule: mail to this business from a sender (or to an address) whose subject matches is a form submission.
CREATE TABLE `intake_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`name` text NOT NULL,
	`enabled` integer DEFAULT 1 NOT NULL,
	-- An address (ann@site.test) or a domain (@site.test); null: any sender.
	`from_match` text,
	-- One of the business's receiving addresses; null: any.
	`to_match` text,
	`subject_match` text DEFAULT '' NOT NULL,
	-- 'contains' (plain text, any case) | 'regex' (checked as safe when saved)
	`subject_mode` text DEFAULT 'contains' NOT NULL,
	-- Form label -> contact field ('firstName', 'email', 'custom:budget', 'ignore'), over the built-in labels.
	`field_map_json` text DEFAULT '{}' NOT NULL,
	`tag_ids_json` text DEFAULT '[]' NOT NULL,
	-- Enrol the contact in this sequence too (autoresponders and flows follow the tags and the new contact).
	`sequence_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequences`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `intake_rules_object_idx` ON `intake_rules` (`object_id`, `id`);--> statement-breakpoint
-- Every newly stored inbound message gets one row, written in the store's transaction: intake runs once.
CREATE TABLE `intake_processed` (
	`message_id` integer PRIMARY KEY NOT NULL,
	`object_id` integer NOT NULL,
	`rule_id` integer,
	`contact_id` integer,
	-- 'none' (no rule matched) | 'created' | 'updated' | 'skipped' (matched, nothing usable) | 'failed' | 'duplicate'
	`outcome` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rule_id`) REFERENCES `intake_rules`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `intake_processed_rule_idx` ON `intake_processed` (`rule_id`, `at`) WHERE `rule_id` IS NOT NULL;--> statement-breakpoint
-- A mailbox row that only holds mail received through Mailgun (no SMTP, no IMAP): messages need a mailbox.
ALTER TABLE `mailboxes` ADD `receive_via` text;--> statement-breakpoint
-- Receiving through Mailgun, one row per business: the route, the events cursor (survives restarts), the last poll.
CREATE TABLE `mailgun_inbound` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT 1 NOT NULL,
	`addresses_json` text NOT NULL,
	`mailbox_id` integer,
	`route_id` text,
	`route_expression` text,
	-- Newest stored event seen (ms); the next poll starts a little before it (Mailgun may list events late).
	`cursor_ms` integer,
	`last_poll_at` integer,
	`last_received_at` integer,
	`last_error` text,
	`received` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
-- Each stored event once: its id is the IMAP uid's stand-in for the message it brought (rowid = uid).
CREATE TABLE `mailgun_inbound_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`event_id` text NOT NULL,
	`message_id` text,
	-- 'stored' | 'duplicate' (the Message-ID was already in the inbox) | 'failed' (fetch kept failing)
	`status` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mailgun_inbound_events_uq` ON `mailgun_inbound_events` (`object_id`, `event_id`);
