-- Automation (ARCHITECTURE §6): autoresponders (seed 000) and sequences (seed 002). Hand-written, like 0001.
ALTER TABLE `objects` ADD `unsubscribe_url` text;--> statement-breakpoint
CREATE TABLE `autoresponders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`object_id` integer,
	`is_active` integer DEFAULT 1 NOT NULL,
	`trigger_type` text NOT NULL,
	`trigger_tag_id` integer,
	`trigger_field` text,
	`trigger_offset_days` integer,
	`total_sent` integer DEFAULT 0 NOT NULL,
	`total_failed` integer DEFAULT 0 NOT NULL,
	`total_skipped` integer DEFAULT 0 NOT NULL,
	`last_fired_at` integer,
	`date_checked_through` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`trigger_tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `autoresponders_trigger_idx` ON `autoresponders` (`trigger_type`, `is_active`);--> statement-breakpoint
CREATE TABLE `autoresponder_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`autoresponder_id` integer NOT NULL,
	`position` integer NOT NULL,
	`subject` text NOT NULL,
	`body_html` text NOT NULL,
	`delay_value` integer DEFAULT 0 NOT NULL,
	`delay_unit` text DEFAULT 'minutes' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`autoresponder_id`) REFERENCES `autoresponders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `autoresponder_actions_ar_idx` ON `autoresponder_actions` (`autoresponder_id`, `position`);--> statement-breakpoint
CREATE TABLE `autoresponder_executions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`autoresponder_id` integer NOT NULL,
	`action_id` integer NOT NULL,
	`contact_id` integer,
	`fire_key` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`outbound_id` integer,
	`scheduled_for` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`autoresponder_id`) REFERENCES `autoresponders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`action_id`) REFERENCES `autoresponder_actions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `autoresponder_executions_fire_uq` ON `autoresponder_executions` (`autoresponder_id`, `contact_id`, `action_id`, `fire_key`);--> statement-breakpoint
CREATE INDEX `autoresponder_executions_list_idx` ON `autoresponder_executions` (`autoresponder_id`, `id`);--> statement-breakpoint
CREATE INDEX `autoresponder_executions_contact_idx` ON `autoresponder_executions` (`contact_id`, `status`);--> statement-breakpoint
CREATE INDEX `autoresponder_executions_outbound_idx` ON `autoresponder_executions` (`outbound_id`) WHERE outbound_id IS NOT NULL;--> statement-breakpoint
CREATE TABLE `sequences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`object_id` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`window_json` text,
	`rotation` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sequence_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sequence_id` integer NOT NULL,
	`position` integer NOT NULL,
	`subject` text NOT NULL,
	`body_html` text NOT NULL,
	`wait_value` integer DEFAULT 0 NOT NULL,
	`wait_unit` text DEFAULT 'days' NOT NULL,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequences`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_steps_uq` ON `sequence_steps` (`sequence_id`, `position`);--> statement-breakpoint
CREATE TABLE `sequence_mailboxes` (
	`sequence_id` integer NOT NULL,
	`mailbox_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`sequence_id`, `mailbox_id`),
	FOREIGN KEY (`sequence_id`) REFERENCES `sequences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sequence_contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sequence_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`current_step` integer DEFAULT 1 NOT NULL,
	`next_step_at` integer,
	`mailbox_id` integer,
	`pending_outbound_id` integer,
	`first_message_id` text,
	`last_sent_at` integer,
	`last_error` text,
	`enrolled_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_contacts_uq` ON `sequence_contacts` (`sequence_id`, `contact_id`);--> statement-breakpoint
CREATE INDEX `sequence_contacts_contact_idx` ON `sequence_contacts` (`contact_id`);--> statement-breakpoint
CREATE INDEX `sequence_contacts_due_idx` ON `sequence_contacts` (`next_step_at`, `id`) WHERE status = 'active' AND pending_outbound_id IS NULL;--> statement-breakpoint
CREATE INDEX `sequence_contacts_list_idx` ON `sequence_contacts` (`sequence_id`, `status`, `id`);--> statement-breakpoint
CREATE TABLE `sequence_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sequence_id` integer NOT NULL,
	`sequence_contact_id` integer NOT NULL,
	`step_position` integer NOT NULL,
	`outbound_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`sequence_id`) REFERENCES `sequences`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sequence_contact_id`) REFERENCES `sequence_contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sequence_messages_outbound_uq` ON `sequence_messages` (`outbound_id`);--> statement-breakpoint
CREATE INDEX `sequence_messages_seq_idx` ON `sequence_messages` (`sequence_id`, `step_position`);--> statement-breakpoint
CREATE INDEX `sequence_messages_sc_idx` ON `sequence_messages` (`sequence_contact_id`);--> statement-breakpoint
CREATE INDEX `message_events_type_at_idx` ON `message_events` (`type`, `at`);
