-- Flows (issue 16, seed 001): a campaign is a graph of nodes joined by edges, versioned so that editing
-- an active flow never changes the path of leads already in it. Each lead keeps an append-only log of
-- the nodes it passed (the seed's execution_path).
CREATE TABLE `flows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`object_id` integer NOT NULL REFERENCES `objects`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`trigger_json` text DEFAULT '{"type":"manual"}' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL CHECK (`status` IN ('draft', 'active', 'paused')),
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flows_object_idx` ON `flows` (`object_id`);
--> statement-breakpoint
CREATE TABLE `flow_nodes` (
	`flow_id` integer NOT NULL REFERENCES `flows`(`id`) ON DELETE CASCADE,
	`version` integer NOT NULL,
	`node_key` text NOT NULL,
	`type` text NOT NULL CHECK (`type` IN ('start', 'sendEmail', 'wait', 'condition', 'action', 'end')),
	`config_json` text DEFAULT '{}' NOT NULL,
	`x` real DEFAULT 0 NOT NULL,
	`y` real DEFAULT 0 NOT NULL,
	-- The order the editor gave the nodes (kept so a graph reads back as it was written).
	`ord` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`flow_id`, `version`, `node_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `flow_edges` (
	`flow_id` integer NOT NULL REFERENCES `flows`(`id`) ON DELETE CASCADE,
	`version` integer NOT NULL,
	`from_key` text NOT NULL,
	`to_key` text NOT NULL,
	`branch` text CHECK (`branch` IS NULL OR `branch` IN ('yes', 'no')),
	PRIMARY KEY (`flow_id`, `version`, `from_key`, `to_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `flow_leads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`flow_id` integer NOT NULL REFERENCES `flows`(`id`) ON DELETE CASCADE,
	`version` integer NOT NULL,
	`contact_id` integer NOT NULL REFERENCES `contacts`(`id`) ON DELETE CASCADE,
	`status` text DEFAULT 'pending' NOT NULL CHECK (`status` IN ('pending', 'running', 'waiting', 'completed', 'failed', 'exited')),
	`current_node` text,
	-- When a waiting lead is looked at again: the end of a wait, or a condition's timeout.
	`wait_until` integer,
	`last_error` text,
	`entered_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- Enrolment is idempotent: a contact is in a flow once.
CREATE UNIQUE INDEX `flow_leads_contact_idx` ON `flow_leads` (`flow_id`, `contact_id`);
--> statement-breakpoint
CREATE INDEX `flow_leads_due_idx` ON `flow_leads` (`wait_until`, `id`) WHERE `status` IN ('pending', 'waiting');
--> statement-breakpoint
CREATE INDEX `flow_leads_node_idx` ON `flow_leads` (`flow_id`, `current_node`, `status`);
--> statement-breakpoint
CREATE INDEX `flow_leads_by_contact_idx` ON `flow_leads` (`contact_id`);
--> statement-breakpoint
CREATE TABLE `flow_lead_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lead_id` integer NOT NULL REFERENCES `flow_leads`(`id`) ON DELETE CASCADE,
	`node_key` text NOT NULL,
	-- entered, sent, waiting, yes, no, done, failed, exited
	`outcome` text NOT NULL,
	`detail` text,
	`outbound_id` integer,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flow_lead_events_lead_idx` ON `flow_lead_events` (`lead_id`, `id`);
--> statement-breakpoint
CREATE INDEX `flow_lead_events_outbound_idx` ON `flow_lead_events` (`outbound_id`) WHERE `outbound_id` IS NOT NULL;
--> statement-breakpoint
-- Per-node outcome counts for the canvas, kept by a trigger so flows.stats never scans the path log.
CREATE TABLE `flow_node_counts` (
	`flow_id` integer NOT NULL REFERENCES `flows`(`id`) ON DELETE CASCADE,
	`node_key` text NOT NULL,
	`outcome` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`flow_id`, `node_key`, `outcome`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `flow_lead_events_count` AFTER INSERT ON `flow_lead_events` BEGIN
	INSERT INTO flow_node_counts (flow_id, node_key, outcome, n) SELECT flow_id, NEW.node_key, NEW.outcome, 1 FROM flow_leads WHERE id = NEW.lead_id
	ON CONFLICT (flow_id, node_key, outcome) DO UPDATE SET n = n + 1;
END;
