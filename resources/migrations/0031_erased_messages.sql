-- Mail erased at a person's request stays on the mail server (the erase removes local copies). A later
-- full fetch (a new UIDVALIDITY, a wider sync window) must not store it again, so the erase leaves a salted
-- hash of each message's Message-ID (or, without one, of where it was): never the ID itself.
CREATE TABLE `erased_messages` (
	`key` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL
) WITHOUT ROWID;
