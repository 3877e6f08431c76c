-- SMS and WhatsApp steps in sequences and autoresponders (issue 17 item 7), and a contact's preferred
-- channel (seed 003: communications pick the primary channel from it). A step or action is email unless
-- it says otherwise, so every existing row keeps working; a text keeps its body (Handlebars, plain text)
-- and, for WhatsApp outside the 24-hour window, an approved template (ContentSid + variables as JSON).
ALTER TABLE `sequence_steps` ADD `channel` text DEFAULT 'email' NOT NULL;
--> statement-breakpoint
ALTER TABLE `sequence_steps` ADD `text_body` text;
--> statement-breakpoint
ALTER TABLE `sequence_steps` ADD `content_sid` text;
--> statement-breakpoint
ALTER TABLE `sequence_steps` ADD `content_variables_json` text;
--> statement-breakpoint
ALTER TABLE `autoresponder_actions` ADD `channel` text DEFAULT 'email' NOT NULL;
--> statement-breakpoint
ALTER TABLE `autoresponder_actions` ADD `text_body` text;
--> statement-breakpoint
ALTER TABLE `autoresponder_actions` ADD `content_sid` text;
--> statement-breakpoint
ALTER TABLE `autoresponder_actions` ADD `content_variables_json` text;
--> statement-breakpoint
ALTER TABLE `contacts` ADD `preferred_channel` text;
