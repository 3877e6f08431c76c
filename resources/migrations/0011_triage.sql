-- Inbox triage (issue 20): moves queued for the server like \Seen is, folders known with their RFC 6154
-- role, and per-thread counts that say whether a conversation is in the inbox (kept by refreshThreads and
-- the triggers below), so the inbox view walks an index instead of looking at every thread's messages.
ALTER TABLE `sync_folders` ADD `special_use` text;--> statement-breakpoint
ALTER TABLE `sync_folders` ADD `name` text;--> statement-breakpoint
-- 0 once the folder is gone from the server's LIST (kept for its sync state until its messages are gone).
ALTER TABLE `sync_folders` ADD `listed` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- 1 = its messages are fetched (INBOX, Sent, Archive, Trash, Junk and other subscribed folders; not Drafts or All Mail).
ALTER TABLE `sync_folders` ADD `synced` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE TABLE `pending_moves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	-- No foreign key: a permanent delete removes the row at once while its expunge waits here.
	`message_id` integer NOT NULL,
	`mailbox_id` integer NOT NULL,
	`from_folder` text NOT NULL,
	`from_uidvalidity` text NOT NULL,
	`from_uid` integer NOT NULL,
	-- archive | trash | junk | inbox | folder (to_folder set) | expunge
	`to_role` text NOT NULL,
	`to_folder` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
CREATE UNIQUE INDEX `pending_moves_message_uq` ON `pending_moves` (`message_id`) WHERE to_role != 'expunge';--> statement-breakpoint
CREATE INDEX `pending_moves_mailbox_idx` ON `pending_moves` (`mailbox_id`);--> statement-breakpoint
-- Messages in INBOX, and messages put away (received mail outside INBOX, or anything in a folder that is
-- neither INBOX nor Sent). A thread is in the inbox when it has mail in INBOX or nothing put away
-- (a conversation only in Sent stays visible, as it always was).
ALTER TABLE `threads` ADD `inbox_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `away_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- New mail: refreshThreads (inbound/thread.ts) counts both once per thread per stored batch, which costs far
-- less than a trigger per inserted row on the sync's hot path. Moves and deletes are kept by these triggers.
CREATE TRIGGER `messages_box_del` AFTER DELETE ON `messages` BEGIN
	UPDATE threads SET inbox_count = inbox_count - (old.folder = 'INBOX'),
		away_count = away_count - (old.folder != 'INBOX' AND (old.direction = 'in' OR coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = old.mailbox_id AND f.path = old.folder), 'sent') = 'other'))
	WHERE id = old.thread_id;
END;--> statement-breakpoint
CREATE TRIGGER `messages_box_upd` AFTER UPDATE OF folder, thread_id ON `messages` WHEN old.folder != new.folder OR old.thread_id != new.thread_id BEGIN
	UPDATE threads SET inbox_count = inbox_count - (old.folder = 'INBOX'),
		away_count = away_count - (old.folder != 'INBOX' AND (old.direction = 'in' OR coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = old.mailbox_id AND f.path = old.folder), 'sent') = 'other'))
	WHERE id = old.thread_id;
	UPDATE threads SET inbox_count = inbox_count + (new.folder = 'INBOX'),
		away_count = away_count + (new.folder != 'INBOX' AND (new.direction = 'in' OR coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = new.mailbox_id AND f.path = new.folder), 'sent') = 'other'))
	WHERE id = new.thread_id;
END;--> statement-breakpoint
UPDATE threads SET
	inbox_count = (SELECT count(*) FROM messages m WHERE m.thread_id = threads.id AND m.folder = 'INBOX'),
	away_count = (SELECT count(*) FROM messages m WHERE m.thread_id = threads.id AND m.folder != 'INBOX' AND (m.direction = 'in'
		OR coalesce((SELECT f.role FROM sync_folders f WHERE f.mailbox_id = m.mailbox_id AND f.path = m.folder), 'sent') = 'other'));--> statement-breakpoint
CREATE INDEX `threads_inbox_recent_idx` ON `threads` (`last_message_at`,`id`) WHERE inbox_count > 0 OR away_count = 0;--> statement-breakpoint
CREATE INDEX `threads_inbox_unread_idx` ON `threads` (`object_id`) WHERE unread_count > 0 AND (inbox_count > 0 OR away_count = 0);
