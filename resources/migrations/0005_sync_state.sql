CREATE TABLE `sync_folders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mailbox_id` integer NOT NULL,
	`path` text NOT NULL,
	`role` text NOT NULL,
	`uidvalidity` text,
	`last_uid` integer DEFAULT 0 NOT NULL,
	`uidnext` integer,
	`highestmodseq` text,
	`known_count` integer DEFAULT 0 NOT NULL,
	`last_sync_at` integer,
	`last_error` text,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_folders_mailbox_path_uq` ON `sync_folders` (`mailbox_id`,`path`);--> statement-breakpoint
CREATE TABLE `sync_mailboxes` (
	`mailbox_id` integer PRIMARY KEY NOT NULL,
	`state` text DEFAULT 'connecting' NOT NULL,
	`error` text,
	`auth_failed_key` text,
	`last_sync_at` integer,
	`first_sync_done` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
