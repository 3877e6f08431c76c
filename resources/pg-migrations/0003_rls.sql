-- Issue 22 item 5: a staff member cannot get an outbox row from a sender profile not assigned to them into the
-- shared log, even connected with psql as their own login role. Row-level security on ops:
--   - everyone in the workspace reads every op (each desktop replicates all of them);
--   - admins (team_users.role = 'admin' for the connected role) insert anything;
--   - anyone else inserts an op on outbound_messages only when the profile_id it carries (an insert always does,
--     an update only when it changes it) is assigned to them in team_user_profiles; other tables as before.
-- The table's owner (the role that created the workspace and runs these migrations) is not subject to it.
-- Members have SELECT only on team_users and team_user_profiles (granted by team.create), so no staff member
-- can assign a profile to themselves; the functions name their tables with their schema so nothing in a
-- session's search_path can stand in for them.
CREATE FUNCTION team_is_admin() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM public.team_users WHERE role_name = current_user AND role = 'admin')
$$;
--> statement-breakpoint
CREATE FUNCTION team_may_send_from(profile bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.team_user_profiles p JOIN public.team_users u ON u.email = p.email
    WHERE u.role_name = current_user AND p.profile_id = profile
  )
$$;
--> statement-breakpoint
ALTER TABLE ops ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY ops_read ON ops FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY ops_write ON ops FOR INSERT WITH CHECK (
  tbl <> 'outbound_messages'
  OR (fields ->> 'profile_id') IS NULL
  OR team_is_admin()
  OR team_may_send_from((fields ->> 'profile_id')::bigint)
);
