-- Issue 22 (team-flows): flows, their versioned graphs, the leads and their paths replicate. The capture triggers
-- are printed by captureTriggersSql (src/main/engine/team/tables.ts); test/teamSchema.test.ts checks they match.
-- A flow step happens once across desktops (a claim per lead and step in PostgreSQL: team/stepClaims.ts, asked by
-- automation/flowRun.ts). flow_node_counts stays derived: each desktop counts what its runner writes, and the
-- trigger below counts the path entries that arrive from the others. The mail retention policy (data_retention)
-- replicates too; its daily pass stays on each desktop, which prunes its own copy of the inbox.
--
-- A lead's runner advances, counted: with the lead's id it names the step a claim is for (flowRun.ts). A hook that
-- makes a waiting lead due now (a reply, an open) changes its wait_until on each desktop that sees it, at that
-- desktop's instant, so the wait cannot name the step; this count changes with a step taken under its claim (or
-- when the lead leaves the flow, after which it has no step left).
ALTER TABLE `flow_leads` ADD `step_no` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- A desktop already in a workspace: new rows of these tables take ids from its block at once, as the others do
-- (the rows made before stay on this desktop: their ids may be another desktop's too).
INSERT OR IGNORE INTO sqlite_sequence (name, seq) SELECT n.name, 0 FROM team_state, (SELECT 'flows' AS name UNION ALL SELECT 'flow_leads' UNION ALL SELECT 'flow_lead_events') AS n WHERE team_state.id = 1 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = n.name);
--> statement-breakpoint
UPDATE sqlite_sequence SET seq = max(seq, (SELECT block_start - 1 FROM team_state WHERE id = 1)) WHERE name IN ('flows', 'flow_leads', 'flow_lead_events') AND EXISTS (SELECT 1 FROM team_state WHERE id = 1);
--> statement-breakpoint
-- A contact is in a flow once (flow_leads_contact_idx): two desktops that enrolled it apart end with one lead
-- (team/unique.ts, as 0036 does for suppressions and segments). A lead's birth is its entered_at's version.
CREATE TRIGGER `unique_flow_leads_ad` AFTER DELETE ON `flow_leads` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT OR REPLACE INTO team_unique_deleted (tbl, row_key, key_json, born) VALUES ('flow_leads', CAST(old.id AS TEXT), json_array(old.flow_id, old.contact_id),
    (SELECT position FROM team_field_versions WHERE tbl = 'flow_leads' AND row_key = CAST(old.id AS TEXT) AND field = 'entered_at'));
END;
--> statement-breakpoint
CREATE TRIGGER `unique_born_flow_leads_ai` AFTER INSERT ON `team_field_versions` WHEN new.field = 'entered_at' AND new.tbl = 'flow_leads' BEGIN
  UPDATE team_unique_deleted SET born = new.position WHERE tbl = new.tbl AND row_key = new.row_key AND born IS NULL;
END;
--> statement-breakpoint
-- Path entries from another desktop count on the canvas here too. The runner counts a node's "entered" also when
-- it folded that row into the node's outcome (flowRun.ts Path), so an arriving outcome implies an "entered" unless
-- the lead's entry before it (by time, then id) was already this node's "entered" or "waiting" (a lead resumed).
CREATE TRIGGER `flow_lead_events_count_remote` AFTER INSERT ON `flow_lead_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 1) BEGIN
  INSERT INTO flow_node_counts (flow_id, node_key, outcome, n) SELECT flow_id, new.node_key, new.outcome, 1 FROM flow_leads WHERE id = new.lead_id
    ON CONFLICT (flow_id, node_key, outcome) DO UPDATE SET n = n + 1;
  INSERT INTO flow_node_counts (flow_id, node_key, outcome, n) SELECT flow_id, new.node_key, 'entered', 1 FROM flow_leads WHERE id = new.lead_id
    AND new.outcome NOT IN ('entered', 'exited')
    AND NOT EXISTS (SELECT 1 FROM (SELECT node_key, outcome FROM flow_lead_events WHERE lead_id = new.lead_id AND id <> new.id AND (at < new.at OR (at = new.at AND id < new.id)) ORDER BY at DESC, id DESC LIMIT 1) p
      WHERE p.node_key = new.node_key AND p.outcome IN ('entered', 'waiting'))
    ON CONFLICT (flow_id, node_key, outcome) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `team_flows_ai` AFTER INSERT ON `flows` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flows', CAST(new.id AS TEXT), 'insert', json_object('object_id', new.object_id, 'name', new.name, 'trigger_json', new.trigger_json, 'status', new.status, 'version', new.version, 'created_at', new.created_at, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flows_au` AFTER UPDATE ON `flows` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.object_id IS NOT new.object_id OR old.name IS NOT new.name OR old.trigger_json IS NOT new.trigger_json OR old.status IS NOT new.status OR old.version IS NOT new.version OR old.created_at IS NOT new.created_at OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flows', CAST(new.id AS TEXT), 'update', json_remove(json_object('object_id', new.object_id, 'name', new.name, 'trigger_json', new.trigger_json, 'status', new.status, 'version', new.version, 'created_at', new.created_at, 'updated_at', new.updated_at), CASE WHEN old.object_id IS new.object_id THEN '$.object_id' ELSE '$.__none' END, CASE WHEN old.name IS new.name THEN '$.name' ELSE '$.__none' END, CASE WHEN old.trigger_json IS new.trigger_json THEN '$.trigger_json' ELSE '$.__none' END, CASE WHEN old.status IS new.status THEN '$.status' ELSE '$.__none' END, CASE WHEN old.version IS new.version THEN '$.version' ELSE '$.__none' END, CASE WHEN old.created_at IS new.created_at THEN '$.created_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flows_ad` AFTER DELETE ON `flows` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flows', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_nodes_ai` AFTER INSERT ON `flow_nodes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_nodes', CAST(new.flow_id || ':' || new.version || ':' || new.node_key AS TEXT), 'insert', json_object('type', new.type, 'config_json', new.config_json, 'x', new.x, 'y', new.y, 'ord', new.ord), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_nodes_au` AFTER UPDATE ON `flow_nodes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.type IS NOT new.type OR old.config_json IS NOT new.config_json OR old.x IS NOT new.x OR old.y IS NOT new.y OR old.ord IS NOT new.ord) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_nodes', CAST(new.flow_id || ':' || new.version || ':' || new.node_key AS TEXT), 'update', json_remove(json_object('type', new.type, 'config_json', new.config_json, 'x', new.x, 'y', new.y, 'ord', new.ord), CASE WHEN old.type IS new.type THEN '$.type' ELSE '$.__none' END, CASE WHEN old.config_json IS new.config_json THEN '$.config_json' ELSE '$.__none' END, CASE WHEN old.x IS new.x THEN '$.x' ELSE '$.__none' END, CASE WHEN old.y IS new.y THEN '$.y' ELSE '$.__none' END, CASE WHEN old.ord IS new.ord THEN '$.ord' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_nodes_ad` AFTER DELETE ON `flow_nodes` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_nodes', CAST(old.flow_id || ':' || old.version || ':' || old.node_key AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_edges_ai` AFTER INSERT ON `flow_edges` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_edges', CAST(new.flow_id || ':' || new.version || ':' || new.from_key || ':' || new.to_key AS TEXT), 'insert', json_object('branch', new.branch), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_edges_au` AFTER UPDATE ON `flow_edges` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.branch IS NOT new.branch) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_edges', CAST(new.flow_id || ':' || new.version || ':' || new.from_key || ':' || new.to_key AS TEXT), 'update', json_remove(json_object('branch', new.branch), CASE WHEN old.branch IS new.branch THEN '$.branch' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_edges_ad` AFTER DELETE ON `flow_edges` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_edges', CAST(old.flow_id || ':' || old.version || ':' || old.from_key || ':' || old.to_key AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_leads_ai` AFTER INSERT ON `flow_leads` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_leads', CAST(new.id AS TEXT), 'insert', json_object('flow_id', new.flow_id, 'version', new.version, 'contact_id', new.contact_id, 'status', new.status, 'current_node', new.current_node, 'wait_until', new.wait_until, 'last_error', new.last_error, 'entered_at', new.entered_at, 'updated_at', new.updated_at, 'mailbox_id', new.mailbox_id, 'step_no', new.step_no), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_leads_au` AFTER UPDATE ON `flow_leads` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.flow_id IS NOT new.flow_id OR old.version IS NOT new.version OR old.contact_id IS NOT new.contact_id OR old.status IS NOT new.status OR old.current_node IS NOT new.current_node OR old.wait_until IS NOT new.wait_until OR old.last_error IS NOT new.last_error OR old.entered_at IS NOT new.entered_at OR old.updated_at IS NOT new.updated_at OR old.mailbox_id IS NOT new.mailbox_id OR old.step_no IS NOT new.step_no) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_leads', CAST(new.id AS TEXT), 'update', json_remove(json_object('flow_id', new.flow_id, 'version', new.version, 'contact_id', new.contact_id, 'status', new.status, 'current_node', new.current_node, 'wait_until', new.wait_until, 'last_error', new.last_error, 'entered_at', new.entered_at, 'updated_at', new.updated_at, 'mailbox_id', new.mailbox_id, 'step_no', new.step_no), CASE WHEN old.flow_id IS new.flow_id THEN '$.flow_id' ELSE '$.__none' END, CASE WHEN old.version IS new.version THEN '$.version' ELSE '$.__none' END, CASE WHEN old.contact_id IS new.contact_id THEN '$.contact_id' ELSE '$.__none' END, CASE WHEN old.status IS new.status THEN '$.status' ELSE '$.__none' END, CASE WHEN old.current_node IS new.current_node THEN '$.current_node' ELSE '$.__none' END, CASE WHEN old.wait_until IS new.wait_until THEN '$.wait_until' ELSE '$.__none' END, CASE WHEN old.last_error IS new.last_error THEN '$.last_error' ELSE '$.__none' END, CASE WHEN old.entered_at IS new.entered_at THEN '$.entered_at' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END, CASE WHEN old.mailbox_id IS new.mailbox_id THEN '$.mailbox_id' ELSE '$.__none' END, CASE WHEN old.step_no IS new.step_no THEN '$.step_no' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_leads_ad` AFTER DELETE ON `flow_leads` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_leads', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_lead_events_ai` AFTER INSERT ON `flow_lead_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_lead_events', CAST(new.id AS TEXT), 'insert', json_object('lead_id', new.lead_id, 'node_key', new.node_key, 'outcome', new.outcome, 'detail', new.detail, 'outbound_id', new.outbound_id, 'at', new.at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_lead_events_au` AFTER UPDATE ON `flow_lead_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.lead_id IS NOT new.lead_id OR old.node_key IS NOT new.node_key OR old.outcome IS NOT new.outcome OR old.detail IS NOT new.detail OR old.outbound_id IS NOT new.outbound_id OR old.at IS NOT new.at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_lead_events', CAST(new.id AS TEXT), 'update', json_remove(json_object('lead_id', new.lead_id, 'node_key', new.node_key, 'outcome', new.outcome, 'detail', new.detail, 'outbound_id', new.outbound_id, 'at', new.at), CASE WHEN old.lead_id IS new.lead_id THEN '$.lead_id' ELSE '$.__none' END, CASE WHEN old.node_key IS new.node_key THEN '$.node_key' ELSE '$.__none' END, CASE WHEN old.outcome IS new.outcome THEN '$.outcome' ELSE '$.__none' END, CASE WHEN old.detail IS new.detail THEN '$.detail' ELSE '$.__none' END, CASE WHEN old.outbound_id IS new.outbound_id THEN '$.outbound_id' ELSE '$.__none' END, CASE WHEN old.at IS new.at THEN '$.at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_flow_lead_events_ad` AFTER DELETE ON `flow_lead_events` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'flow_lead_events', CAST(old.id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
-- The mail retention policy reaches every desktop; each desktop's daily pass prunes its own copy of the inbox.
CREATE TRIGGER `team_data_retention_ai` AFTER INSERT ON `data_retention` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'data_retention', CAST(new.object_id AS TEXT), 'insert', json_object('months', new.months, 'updated_at', new.updated_at), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_data_retention_au` AFTER UPDATE ON `data_retention` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) AND (old.months IS NOT new.months OR old.updated_at IS NOT new.updated_at) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'data_retention', CAST(new.object_id AS TEXT), 'update', json_remove(json_object('months', new.months, 'updated_at', new.updated_at), CASE WHEN old.months IS new.months THEN '$.months' ELSE '$.__none' END, CASE WHEN old.updated_at IS new.updated_at THEN '$.updated_at' ELSE '$.__none' END), (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `team_data_retention_ad` AFTER DELETE ON `data_retention` WHEN EXISTS (SELECT 1 FROM team_state WHERE id = 1 AND applying = 0) BEGIN
  INSERT INTO team_ops (id, tbl, row_key, kind, fields, user_email, at) VALUES ((SELECT printf('%s-%s-7%s-%s%s-%s', substr(ts, 1, 8), substr(ts, 9, 4), substr(r, 1, 3), substr('89ab', 1 + (abs(random()) % 4), 1), substr(r, 4, 3), substr(r, 7, 12)) FROM (SELECT printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) AS ts, lower(hex(randomblob(9))) AS r)), 'data_retention', CAST(old.object_id AS TEXT), 'delete', '{}', (SELECT user_email FROM team_state WHERE id = 1), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
