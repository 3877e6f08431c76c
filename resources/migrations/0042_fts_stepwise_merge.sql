-- Issue 23 (the app stays usable during a first sync): the message index no longer merges its segments inside
-- the commit of a store transaction; the sync merges it a bounded step at a time (inbound/ftsMerge.ts).
INSERT INTO `messages_fts`(`messages_fts`, `rank`) VALUES ('automerge', 0);
