-- Issue 18 (seed 004): a template library with immutable versions, bulk send jobs, and idempotency keys per
-- business. Hand-written, like the other migrations since 0014.
--
-- A template is a name per business; its content lives in versions. Editing writes a new version and never
-- touches an old one (a trigger refuses it), so a message that pinned a version keeps what it was written with.
CREATE TABLE `templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`current_version` integer DEFAULT 1 NOT NULL,
	-- Deleted templates stay (hidden) so analytics and the outbox can still name what a message was sent from.
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_name_uq` ON `templates` (`object_id`, lower(`name`)) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE TABLE `template_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`template_id` integer NOT NULL,
	`version` integer NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	-- 1: the text part was made from the HTML (no text was given); 0: typed by the user.
	`text_auto` integer DEFAULT 1 NOT NULL,
	-- Declared custom variables ({{order_id}}): a JSON array of names. Anything else is an unknown variable.
	`variables_json` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `template_versions_uq` ON `template_versions` (`template_id`, `version`);--> statement-breakpoint
CREATE TRIGGER `template_versions_immutable` BEFORE UPDATE ON `template_versions`
BEGIN SELECT RAISE(ABORT, 'template versions are immutable'); END;
--> statement-breakpoint
-- One row per mail.sendMany: the outbox rows carry its id; progress is counted from those rows.
CREATE TABLE `bulk_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`profile_id` integer,
	`template_id` integer,
	`template_version_id` integer,
	`idempotency_key` text NOT NULL,
	`requested` integer NOT NULL,
	-- Rows queued by the send; progress after that is counted from the rows themselves.
	`queued` integer NOT NULL,
	-- Everyone not queued at send time (a skipped row, or no row: no address, listed twice, a variable without
	-- a value): {"skipped": {reason: count}, "examples": [{recipient, reason, detail}]} with the first 50.
	`skipped_json` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`profile_id`) REFERENCES `email_sending_profiles`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`template_id`) REFERENCES `templates`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bulk_jobs_idempotency_uq` ON `bulk_jobs` (`object_id`, `idempotency_key`);--> statement-breakpoint
CREATE INDEX `bulk_jobs_object_idx` ON `bulk_jobs` (`object_id`, `id`);--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `template_id` integer REFERENCES templates(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `template_version_id` integer REFERENCES template_versions(id) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `bulk_job_id` integer REFERENCES bulk_jobs(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `outbound_bulk_idx` ON `outbound_messages` (`bulk_job_id`, `status`) WHERE bulk_job_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbound_template_idx` ON `outbound_messages` (`template_id`) WHERE template_id IS NOT NULL;--> statement-breakpoint
-- Idempotency keys are per business (seed 004: unique (tenant_id, idempotency_key)).
DROP INDEX `outbound_idempotency_uq`;--> statement-breakpoint
CREATE UNIQUE INDEX `outbound_idempotency_uq` ON `outbound_messages` (`object_id`, `idempotency_key`) WHERE idempotency_key IS NOT NULL;
