-- Sync window (issue 23): how many months of mail a mailbox keeps (NULL = all of it, the default).
ALTER TABLE `mailboxes` ADD `sync_window_months` integer;--> statement-breakpoint
-- Per folder: the internal date (ms) its mail is stored from (NULL = the whole folder), and how many of the
-- server's messages lie before the window (NULL = not counted yet): the timelines say when older mail exists.
ALTER TABLE `sync_folders` ADD `window_since` integer;--> statement-breakpoint
ALTER TABLE `sync_folders` ADD `older_count` integer;
--> statement-breakpoint
-- sync.status's unread count per mailbox (unread inbound mail in INBOX) without a walk over every message of
-- the mailbox: the planner took messages_copy_uq (mailbox_id, folder) and read each row (~200 ms at 100,000).
CREATE INDEX `messages_inbox_unread_idx` ON `messages` (`mailbox_id`) WHERE read = 0 AND direction = 'in' AND folder = 'INBOX';
--> statement-breakpoint
-- Search (issue 23): how many messages hold a term, read from the index's own vocabulary, so inbox.list picks
-- its plan (gather every match, or walk conversations newest first) before doing either.
CREATE VIRTUAL TABLE `messages_fts_terms` USING fts5vocab('messages_fts', 'row');
