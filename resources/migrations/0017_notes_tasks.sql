-- Issue 19: notes on contacts (rich text, pinned on top, full-text searchable) and tasks with reminders.
-- Hand-written: drizzle-kit cannot express FTS5 tables or partial indexes with these predicates.
CREATE TABLE `contact_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contact_id` integer NOT NULL,
	`author_user_id` integer,
	`body_html` text NOT NULL,
	-- The note as plain words: what FTS indexes and what the timeline shows as a snippet.
	`body_text` text NOT NULL,
	`pinned` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contact_notes_contact_idx` ON `contact_notes` (`contact_id`,`pinned`,`created_at`,`id`);--> statement-breakpoint
CREATE VIRTUAL TABLE `notes_fts` USING fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE TRIGGER `contact_notes_fts_ai` AFTER INSERT ON `contact_notes` BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body_text);
END;--> statement-breakpoint
CREATE TRIGGER `contact_notes_fts_au` AFTER UPDATE OF body_text ON `contact_notes` BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body_text);
END;--> statement-breakpoint
CREATE TRIGGER `contact_notes_fts_ad` AFTER DELETE ON `contact_notes` BEGIN
  DELETE FROM notes_fts WHERE rowid = old.id;
END;--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`contact_id` integer,
	`thread_id` integer,
	`assignee_user_id` integer,
	`created_by_user_id` integer,
	-- UTC ms; shown and bucketed (overdue, today, upcoming) in the business's time zone.
	`due_at` integer NOT NULL,
	`done_at` integer,
	-- Set in the transaction that emits 'tasks.due', so a reminder fires once, even across restarts.
	`reminded_at` integer,
	-- "Remind me if no reply": the contact's next real inbound mail completes the task.
	`close_on_reply` integer DEFAULT 0 NOT NULL,
	`closed_by_message_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`closed_by_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
-- The Today view and the badge walk open tasks by due time; the reminder loop walks the not-yet-reminded ones.
CREATE INDEX `tasks_open_due_idx` ON `tasks` (`due_at`,`id`) WHERE done_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_remind_idx` ON `tasks` (`due_at`,`id`) WHERE done_at IS NULL AND reminded_at IS NULL;--> statement-breakpoint
CREATE INDEX `tasks_contact_idx` ON `tasks` (`contact_id`,`due_at`) WHERE contact_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `tasks_reply_idx` ON `tasks` (`contact_id`) WHERE close_on_reply = 1 AND done_at IS NULL;
