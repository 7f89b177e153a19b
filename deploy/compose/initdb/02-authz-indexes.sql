-- The three indexes better-authz's lookups need (seed ADR). Better Auth does not create them;
-- its owners add them once. better-authz only checks that they exist (`doctor`).
CREATE INDEX IF NOT EXISTS idx_users_role ON public.users USING btree (role);
CREATE INDEX IF NOT EXISTS idx_members_user_org ON public.members USING btree (user_id, organization_id);
CREATE INDEX IF NOT EXISTS idx_members_organization_id_role ON public.members USING btree (organization_id, role);
