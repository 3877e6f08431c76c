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
);
