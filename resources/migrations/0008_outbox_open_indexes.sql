-- The outbox's status indexes cover only rows the outbox still acts on or shows as needing attention.
-- A full index on status made every claim (queued → sending) and every record (sending → sent) move
-- entries inside trees of a million sent rows; these partial trees stay as small as the live queue.
-- Queries that should use them repeat the index's condition (SQLite only picks a partial index then).
DROP INDEX `outbound_due_idx`;--> statement-breakpoint
CREATE INDEX `outbound_open_idx` ON `outbound_messages` (`status`,`next_attempt_at`,`id`) WHERE status NOT IN ('sent', 'delivered', 'opened', 'clicked');--> statement-breakpoint
DROP INDEX `outbound_mailbox_idx`;--> statement-breakpoint
CREATE INDEX `outbound_mailbox_idx` ON `outbound_messages` (`mailbox_id`);--> statement-breakpoint
-- What a mailbox still has to send (not `sending`: a claim only removes the row from this one).
CREATE INDEX `outbound_mailbox_waiting_idx` ON `outbound_messages` (`mailbox_id`,`status`) WHERE status IN ('queued', 'retry_wait', 'held');
--> statement-breakpoint
-- The scheduler's due walk reads its lane and window inputs from the index alone.
DROP INDEX `outbound_ready_idx`;--> statement-breakpoint
CREATE INDEX `outbound_ready_idx` ON `outbound_messages` (`next_attempt_at`,`id`,`transport`,`mailbox_id`,`object_id`,`source`,`contact_id`) WHERE status IN ('queued', 'retry_wait');
