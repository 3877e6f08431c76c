-- Data rights (issue 18): retention per business. Hand-written, like the other migrations since 0014.
--
-- An erased person's block needs no new table: it is a `suppressions` row whose email is 'erased:' followed by a
-- salted HMAC of the address (reason 'erased'), so every existing suppression check keeps its shape and the
-- address itself is stored nowhere. The salt is an app_settings row ('dataRights.salt').
--
-- "Delete mail older than N months", per business; no row (or months NULL) is off, the default. last_run_at is
-- when the daily pass last ran for it, so a workspace closed for days runs it once when it opens.
CREATE TABLE `data_retention` (
	`object_id` integer PRIMARY KEY NOT NULL,
	`months` integer,
	`last_run_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`object_id`) REFERENCES `objects`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
-- An erase or a retention pass deletes thousands of messages and threads at once; each delete's foreign-key check
-- (ON DELETE SET NULL) looked for tasks pointing at the row with a scan of every task. These make it a lookup.
CREATE INDEX `tasks_closed_by_idx` ON `tasks` (`closed_by_message_id`) WHERE closed_by_message_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `tasks_thread_idx` ON `tasks` (`thread_id`) WHERE thread_id IS NOT NULL;
