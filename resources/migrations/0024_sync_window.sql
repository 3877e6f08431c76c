-- Sync window (issue 23): how many months of mail a mailbox keeps (NULL = all of it, the default).
ALTER TABLE `mailboxes` ADD `sync_window_months` integer;--> statement-breakpoint
-- Per folder: the internal date (ms) its mail is stored from (NULL = the whole folder), and how many of the
-- server's messages lie before the window (NULL = not counted yet): the timelines say when older mail exists.
ALTER TABLE `sync_folders` ADD `window_since` integer;--> statement-breakpoint
ALTER TABLE `sync_folders` ADD `older_count` integer;
