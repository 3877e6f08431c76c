-- Flows can text (issue 17 item 7): a `sendText` node (SMS or WhatsApp through the one outbox). SQLite cannot
-- change a CHECK, so flow_nodes is rebuilt with the new type allowed; nothing references its rows.
CREATE TABLE `flow_nodes_0026` (
	`flow_id` integer NOT NULL REFERENCES `flows`(`id`) ON DELETE CASCADE,
	`version` integer NOT NULL,
	`node_key` text NOT NULL,
	`type` text NOT NULL CHECK (`type` IN ('start', 'sendEmail', 'sendText', 'wait', 'condition', 'action', 'end')),
	`config_json` text DEFAULT '{}' NOT NULL,
	`x` real DEFAULT 0 NOT NULL,
	`y` real DEFAULT 0 NOT NULL,
	`ord` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`flow_id`, `version`, `node_key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `flow_nodes_0026` (flow_id, version, node_key, type, config_json, x, y, ord) SELECT flow_id, version, node_key, type, config_json, x, y, ord FROM `flow_nodes`;
--> statement-breakpoint
DROP TABLE `flow_nodes`;
--> statement-breakpoint
ALTER TABLE `flow_nodes_0026` RENAME TO `flow_nodes`;
