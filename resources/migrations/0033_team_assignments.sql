-- Issue 22: which sender profiles each member of the team workspace may send from, as PostgreSQL's
-- team_user_profiles said at the last sync (refreshed on join and on every push/pull). A staff desktop checks
-- mail.send and the other ways a person queues mail against it offline; PostgreSQL's row-level security
-- (pg migration 0003) enforces the same rule on the shared log. Admins are not listed: they may use every profile.
CREATE TABLE `team_assignments` (
	`email` text NOT NULL,
	`profile_id` integer NOT NULL,
	PRIMARY KEY (`email`, `profile_id`)
) WITHOUT ROWID;
