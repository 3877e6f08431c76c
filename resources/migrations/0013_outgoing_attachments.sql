-- Outgoing mail gains Bcc, attachments and signatures; drafts remember what they reply to.
-- Attachment bytes live in the data dir's content-hash store (attachments/ab/<sha256>), shared with received
-- mail; a row here only points at one, owned by a draft or an outbox row (or by neither while an upload
-- waits for its draft's next save).
ALTER TABLE `drafts` ADD `bcc_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `drafts` ADD `reply_to_message_id` integer REFERENCES `messages`(`id`) ON DELETE set null;--> statement-breakpoint
ALTER TABLE `drafts` ADD `reply_mode` text;--> statement-breakpoint
CREATE INDEX `drafts_reply_idx` ON `drafts` (`reply_to_message_id`) WHERE reply_to_message_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `bcc_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `email_sending_profiles` ADD `signature_html` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE TABLE `mail_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`draft_id` integer,
	`outbound_id` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_attachments_draft_idx` ON `mail_attachments` (`draft_id`,`position`) WHERE draft_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `mail_attachments_outbound_idx` ON `mail_attachments` (`outbound_id`,`position`) WHERE outbound_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `mail_attachments_sha_idx` ON `mail_attachments` (`sha256`);
