-- Issue 14: HTML is sanitised once, in the parse threads at sync time, and stored; opening a message only
-- reads it. safe_html_state is NULL for bodies stored before this (sanitised later off the engine's thread),
-- 'ok', or the budget the HTML broke ('size', 'depth': the reading pane shows html_text instead).
ALTER TABLE `message_bodies` ADD `safe_html` text;
--> statement-breakpoint
ALTER TABLE `message_bodies` ADD `safe_html_state` text;
--> statement-breakpoint
ALTER TABLE `message_bodies` ADD `safe_html_remote` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE `message_bodies` ADD `html_text` text;
--> statement-breakpoint
-- Bodies with HTML that still wait for the backfill (small: only rows from before the upgrade).
CREATE INDEX `message_bodies_unprepared_idx` ON `message_bodies` (`message_id`) WHERE `html` IS NOT NULL AND `safe_html_state` IS NULL;
