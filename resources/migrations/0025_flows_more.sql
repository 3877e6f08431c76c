-- Flows, second stop (issue 16). Due leads are found per active flow: one index by (flow, wait_until)
-- instead of one across all flows, so leads of a paused flow (100,000 of them, due long ago) are never
-- walked past on every runner turn. A lead keeps the mailbox that sent its first rotated email (sticky
-- mailbox, as sequences do).
DROP INDEX IF EXISTS `flow_leads_due_idx`;
--> statement-breakpoint
CREATE INDEX `flow_leads_flow_due_idx` ON `flow_leads` (`flow_id`, `wait_until`, `id`) WHERE `status` IN ('pending', 'waiting');
--> statement-breakpoint
ALTER TABLE `flow_leads` ADD `mailbox_id` integer REFERENCES `mailboxes`(`id`) ON DELETE SET NULL;
--> statement-breakpoint
-- The per-node counts are kept by the code that writes the path (repos/flows.ts), a whole runner slice
-- in one upsert per node and outcome: the trigger's work per path entry cost more than the entry itself.
DROP TRIGGER IF EXISTS `flow_lead_events_count`;
