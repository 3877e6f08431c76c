-- Issue 15: reads no longer link mail to contacts (inbox.list and contacts.timeline used to, on first read).
-- From now on a contact's stored mail is linked when the contact is saved; this links, once, the mail of
-- contacts created after it and never opened since. Manual unlinks stay (INSERT OR IGNORE), our own
-- mailbox addresses never match, and a contact matches mail of its business or of any when it has none.
WITH `addr` (`mid`, `oid`, `e`) AS (
  SELECT `id`, `object_id`, lower(`from_email`) FROM `messages` WHERE `from_email` IS NOT NULL
  UNION ALL SELECT m.`id`, m.`object_id`, lower(j.value ->> 'email') FROM `messages` m, json_each(m.`to_json`) j
  UNION ALL SELECT m.`id`, m.`object_id`, lower(j.value ->> 'email') FROM `messages` m, json_each(m.`cc_json`) j
), `theirs` (`mid`, `oid`, `e`) AS (
  SELECT a.`mid`, a.`oid`, a.`e` FROM `addr` a
   WHERE a.`e` <> '' AND NOT EXISTS (SELECT 1 FROM `mailboxes` b WHERE b.`object_id` = a.`oid` AND lower(b.`email`) = a.`e`)
)
INSERT OR IGNORE INTO `message_contacts` (`message_id`, `contact_id`, `manual`, `linked`)
SELECT t.`mid`, c.`id`, 0, 1 FROM `theirs` t JOIN `contacts` c ON c.`email` = t.`e` AND (c.`primary_object_id` IS NULL OR c.`primary_object_id` = t.`oid`)
UNION
SELECT t.`mid`, c.`id`, 0, 1 FROM `theirs` t JOIN `contact_emails` ce ON ce.`email` = t.`e` JOIN `contacts` c ON c.`id` = ce.`contact_id`
   AND (c.`primary_object_id` IS NULL OR c.`primary_object_id` = t.`oid`);
