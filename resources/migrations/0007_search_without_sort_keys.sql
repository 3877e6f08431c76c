-- Search resolves its matched threads by rowid now (as fast as this covering index, measured over 100k
-- messages), so the index only cost a write on every thread insert and summary update.
DROP INDEX IF EXISTS `threads_sort_keys_idx`;
