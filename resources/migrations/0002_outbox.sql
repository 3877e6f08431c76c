CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbound_id` integer NOT NULL,
	`error_kind` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dead_letters_outbound_idx` ON `dead_letters` (`outbound_id`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`profile_id` integer,
	`contact_id` integer,
	`to_json` text DEFAULT '[]' NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`html` text DEFAULT '' NOT NULL,
	`sent_as` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`profile_id`) REFERENCES `email_sending_profiles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `drafts_updated_idx` ON `drafts` (`updated_at`);--> statement-breakpoint
CREATE TABLE `mailbox_daily_counts` (
	`mailbox_id` integer NOT NULL,
	`day` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`last_send_at` integer,
	PRIMARY KEY(`mailbox_id`, `day`),
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `message_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbound_id` integer NOT NULL,
	`type` text NOT NULL,
	`detail` text,
	`provider_event_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_events_outbound_idx` ON `message_events` (`outbound_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `message_events_provider_uq` ON `message_events` (`provider_event_id`);--> statement-breakpoint
CREATE TABLE `outbound_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`profile_id` integer,
	`mailbox_id` integer,
	`contact_id` integer,
	`transport` text NOT NULL,
	`message_id` text NOT NULL,
	`from_email` text NOT NULL,
	`from_name` text DEFAULT '' NOT NULL,
	`reply_to` text,
	`to_json` text NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`headers_json` text DEFAULT '{}' NOT NULL,
	`tracking` integer DEFAULT false NOT NULL,
	`source` text DEFAULT 'compose' NOT NULL,
	`idempotency_key` text,
	`status` text NOT NULL,
	`status_reason` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_attempts` integer DEFAULT 4 NOT NULL,
	`last_error` text,
	`error_kind` text,
	`scheduled_for` integer NOT NULL,
	`next_attempt_at` integer,
	`undo_until` integer,
	`lease_owner` text,
	`lease_until` integer,
	`capacity_day` text,
	`provider_id` text,
	`draft_id` integer,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `email_sending_profiles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_message_id_uq` ON `outbound_messages` (`message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_idempotency_uq` ON `outbound_messages` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbound_due_idx` ON `outbound_messages` (`status`,`next_attempt_at`,`id`);--> statement-breakpoint
CREATE INDEX `outbound_mailbox_idx` ON `outbound_messages` (`mailbox_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbound_object_idx` ON `outbound_messages` (`object_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbound_contact_idx` ON `outbound_messages` (`contact_id`);--> statement-breakpoint
CREATE INDEX `outbound_provider_idx` ON `outbound_messages` (`provider_id`);--> statement-breakpoint
ALTER TABLE `mailboxes` ADD `sent_copy` text DEFAULT 'append' NOT NULL;