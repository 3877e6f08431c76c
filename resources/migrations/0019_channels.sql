-- SMS and WhatsApp through Twilio (issue 17, seed 003), on the one outbox. Hand-written, like the others since 0014.
--
-- A business's Twilio account: the auth token is sealed like Mailgun keys; a pace per sender (messages a second).
CREATE TABLE `object_twilio_settings` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`account_sid` text NOT NULL,
	`auth_token_sealed` text,
	`sms_from` text,
	`messaging_service_sid` text,
	`whatsapp_from` text,
	`api_base_url` text,
	`sms_per_second` real DEFAULT 1 NOT NULL,
	`whatsapp_per_second` real DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- One message to one contact over the best channel, with fallback: each attempt is its own outbox row
-- (outbound_messages.communication_id), so the timeline shows the chain and nothing goes out twice.
CREATE TABLE `communications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`urgency` text NOT NULL,
	-- JSON array of channels, in the order they are tried
	`plan_json` text NOT NULL,
	-- JSON {email?, text?, template?}: what each channel sends
	`payload_json` text NOT NULL,
	-- 'scheduled' | 'sending' | 'delivered' | 'failed' | 'skipped'
	`status` text NOT NULL,
	`status_reason` text,
	`send_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `communications_contact_idx` ON `communications` (`contact_id`, `id`);--> statement-breakpoint
-- The outbox learns channels. Text rows: transport 'twilio', to_json holds the number, from_email the sender.
ALTER TABLE `outbound_messages` ADD `channel` text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `segments` integer;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `content_sid` text;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `content_variables_json` text;--> statement-breakpoint
-- Twilio's own status of a sent text (queued, sent, delivered, …) and when it was last asked.
ALTER TABLE `outbound_messages` ADD `provider_status` text;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `polled_at` integer;--> statement-breakpoint
ALTER TABLE `outbound_messages` ADD `communication_id` integer REFERENCES `communications`(`id`) ON DELETE set null;--> statement-breakpoint
-- The scheduler's due walk carries the channel too (a text's lane is its business's sender per channel).
DROP INDEX `outbound_ready_idx`;--> statement-breakpoint
CREATE INDEX `outbound_ready_idx` ON `outbound_messages` (`next_attempt_at`, `id`, `transport`, `mailbox_id`, `object_id`, `source`, `contact_id`, `channel`) WHERE status IN ('queued', 'retry_wait');--> statement-breakpoint
-- Texts accepted by Twilio whose delivery is still open: the status poll's walk, least recently asked first.
CREATE INDEX `outbound_text_open_idx` ON `outbound_messages` (`polled_at`, `id`) WHERE channel != 'email' AND status = 'sent';--> statement-breakpoint
-- A contact's texts both ways (conversations, the WhatsApp composer), without reading their mail.
CREATE INDEX `outbound_text_contact_idx` ON `outbound_messages` (`contact_id`, `channel`, `id`) WHERE channel != 'email';--> statement-breakpoint
CREATE INDEX `outbound_communication_idx` ON `outbound_messages` (`communication_id`) WHERE communication_id IS NOT NULL;--> statement-breakpoint
-- Texts received (polled from Twilio), matched to contacts by phone; one conversation per contact and channel.
CREATE TABLE `text_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`contact_id` integer,
	-- 'sms' | 'whatsapp'
	`channel` text NOT NULL,
	`sid` text NOT NULL,
	`from_phone` text NOT NULL,
	`to_phone` text NOT NULL,
	`body` text NOT NULL,
	`received_at` integer NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `text_messages_sid_uq` ON `text_messages` (`sid`);--> statement-breakpoint
CREATE INDEX `text_messages_contact_idx` ON `text_messages` (`contact_id`, `channel`, `received_at`);--> statement-breakpoint
CREATE INDEX `text_messages_recent_idx` ON `text_messages` (`object_id`, `received_at`);
