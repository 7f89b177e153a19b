-- Demo rows: two organizations and a handful of users covering every case the policy knows.
--   alice  owner of acme                    bob    staff at acme
--   carol  viewer at acme, admin at globex  dave   'staff,viewer' at acme (several roles)
--   root   platform superadmin, no member   eve    banned, still a member of acme
INSERT INTO public.users (id, name, email, email_verified, role, banned, ban_reason, ban_expires) VALUES
  ('u-alice', 'Alice', 'alice@acme.test', true, 'user', false, NULL, NULL),
  ('u-bob', 'Bob', 'bob@acme.test', true, 'user', false, NULL, NULL),
  ('u-carol', 'Carol', 'carol@globex.test', true, NULL, NULL, NULL, NULL),
  ('u-dave', 'Dave', 'dave@acme.test', true, 'user', false, NULL, NULL),
  ('u-root', 'Root', 'root@platform.test', true, 'superadmin', false, NULL, NULL),
  ('u-eve', 'Eve', 'eve@acme.test', true, 'user', true, 'demo ban', NULL);

INSERT INTO public.organizations (id, name, slug, created_at) VALUES
  ('org-acme', 'Acme', 'acme', now()),
  ('org-globex', 'Globex', 'globex', now());

INSERT INTO public.members (id, organization_id, user_id, role, created_at) VALUES
  ('m-1', 'org-acme', 'u-alice', 'owner', now()),
  ('m-2', 'org-acme', 'u-bob', 'staff', now()),
  ('m-3', 'org-acme', 'u-carol', 'viewer', now()),
  ('m-4', 'org-globex', 'u-carol', 'admin', now()),
  ('m-5', 'org-acme', 'u-dave', 'staff,viewer', now()),
  ('m-6', 'org-acme', 'u-eve', 'staff', now());
