-- A message written in compose from a library template counts under that template in analytics, as bulk
-- and mail.send rows already do: the draft remembers which template was inserted until it is sent.
ALTER TABLE `drafts` ADD `template_id` integer REFERENCES templates(id) ON DELETE set null;
