CREATE TABLE `threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`last_message_at` integer DEFAULT 0 NOT NULL,
	`latest_message_id` integer,
	`message_count` integer DEFAULT 0 NOT NULL,
	`unread_count` integer DEFAULT 0 NOT NULL,
	`has_attachments` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `threads_recent_idx` ON `threads` (`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_object_recent_idx` ON `threads` (`object_id`,`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_unread_recent_idx` ON `threads` (`last_message_at`,`id`) WHERE unread_count > 0;--> statement-breakpoint
CREATE INDEX `threads_sort_keys_idx` ON `threads` (`id`,`last_message_at`,`unread_count`,`object_id`);--> statement-breakpoint
CREATE TABLE `thread_unread_totals` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`threads` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `threads_unread_ins` AFTER INSERT ON `threads` WHEN new.unread_count > 0 BEGIN
	INSERT INTO thread_unread_totals (object_id, threads) VALUES (new.object_id, 1) ON CONFLICT (object_id) DO UPDATE SET threads = threads + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `threads_unread_del` AFTER DELETE ON `threads` WHEN old.unread_count > 0 BEGIN
	UPDATE thread_unread_totals SET threads = threads - 1 WHERE object_id = old.object_id;
END;
--> statement-breakpoint
CREATE TRIGGER `threads_unread_upd` AFTER UPDATE OF unread_count, object_id ON `threads`
	WHEN (old.unread_count > 0) != (new.unread_count > 0) OR old.object_id != new.object_id BEGIN
	UPDATE thread_unread_totals SET threads = threads - 1 WHERE object_id = old.object_id AND old.unread_count > 0;
	INSERT INTO thread_unread_totals (object_id, threads) SELECT new.object_id, 1 WHERE new.unread_count > 0
		ON CONFLICT (object_id) DO UPDATE SET threads = threads + 1;
END;
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL,
	`mailbox_id` integer NOT NULL,
	`folder` text NOT NULL,
	`uidvalidity` text NOT NULL,
	`uid` integer NOT NULL,
	`stale` integer DEFAULT 0 NOT NULL,
	`modseq` text,
	`message_id` text,
	`in_reply_to` text,
	`references_json` text DEFAULT '[]' NOT NULL,
	`direction` text NOT NULL,
	`from_name` text DEFAULT '' NOT NULL,
	`from_email` text,
	`to_json` text DEFAULT '[]' NOT NULL,
	`cc_json` text DEFAULT '[]' NOT NULL,
	`reply_to_json` text DEFAULT '[]' NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`snippet` text DEFAULT '' NOT NULL,
	`date` integer NOT NULL,
	`size` integer DEFAULT 0 NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`flagged` integer DEFAULT 0 NOT NULL,
	`is_auto_reply` integer DEFAULT 0 NOT NULL,
	`is_bounce` integer DEFAULT 0 NOT NULL,
	`has_attachments` integer DEFAULT 0 NOT NULL,
	`parse_error` text,
	`outbound_id` integer,
	`thread_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbound_id`) REFERENCES `outbound_messages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_copy_uq` ON `messages` (`mailbox_id`,`folder`,`uidvalidity`,`uid`);--> statement-breakpoint
CREATE INDEX `messages_thread_idx` ON `messages` (`thread_id`,`date`,`id`,`mailbox_id`,`direction`);--> statement-breakpoint
CREATE INDEX `messages_msgid_idx` ON `messages` (`mailbox_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `messages_outbound_idx` ON `messages` (`outbound_id`) WHERE outbound_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_thread_of_idx` ON `messages` (`id`,`thread_id`);--> statement-breakpoint
CREATE INDEX `messages_unread_idx` ON `messages` (`mailbox_id`) WHERE read = 0 AND direction = 'in';--> statement-breakpoint
CREATE TABLE `message_bodies` (
	`message_id` integer PRIMARY KEY NOT NULL,
	`text` text,
	`html` text,
	`headers_json` text DEFAULT '[]' NOT NULL,
	`raw` blob,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`content_id` text,
	`inline` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attachments_message_idx` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE INDEX `attachments_sha_idx` ON `attachments` (`sha256`);--> statement-breakpoint
CREATE TABLE `thread_refs` (
	`object_id` integer NOT NULL,
	`ref` text NOT NULL,
	`thread_id` integer NOT NULL,
	PRIMARY KEY(`object_id`, `ref`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `thread_refs_thread_idx` ON `thread_refs` (`thread_id`);--> statement-breakpoint
CREATE TABLE `message_contacts` (
	`message_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`manual` integer DEFAULT 0 NOT NULL,
	`linked` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`message_id`, `contact_id`),
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_contacts_contact_idx` ON `message_contacts` (`contact_id`,`message_id`) WHERE linked = 1;--> statement-breakpoint
CREATE TABLE `pending_flag_ops` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`flag` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pending_flag_ops_uq` ON `pending_flag_ops` (`message_id`,`flag`);--> statement-breakpoint
CREATE TABLE `remote_image_allows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `remote_image_allows_uq` ON `remote_image_allows` (`scope`,`value`);--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(subject, body, names, addresses, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
