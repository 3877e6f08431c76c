-- Issue 22: every committed push wakes the desktops listening on 'team_ops' (LISTEN/NOTIFY); a poll is the
-- fallback. Once per statement: a push of 500 ops is one notification.
CREATE FUNCTION team_ops_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('team_ops', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER team_ops_notify AFTER INSERT ON ops FOR EACH STATEMENT EXECUTE FUNCTION team_ops_notify();
