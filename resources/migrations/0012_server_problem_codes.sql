-- The stable code of the last connection or sign-in problem (shared/serverErrors.ts: AUTH, TLS_MISMATCH,
-- CONNECTION_REFUSED, ...), so the UI labels what is wrong from a code rather than by reading the words:
-- on an outbox row that failed or is held, and on a mailbox whose sending stopped for its settings.
ALTER TABLE `outbound_messages` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `mailboxes` ADD `status_code` text;
