-- Demo rows for scripts/demo.sh, written as Better Auth would (better-authz itself never writes).
-- Load after Better Auth's schema and the three ADR indexes (deploy/compose/initdb/01 + 02).
--   alice  owner of acme            bob   staff at acme          carol  viewer at acme
--   dave   staff at acme, BANNED    erin  signed up, no member   root   platform admin (users.role)
INSERT INTO public.users (id, name, email, email_verified, created_at, updated_at, role, banned, ban_reason, ban_expires) VALUES
  ('u-alice', 'Alice', 'alice@demo.test', true, now(), now(), 'user', false, NULL, NULL),
  ('u-bob', 'Bob', 'bob@demo.test', true, now(), now(), 'user', false, NULL, NULL),
  ('u-carol', 'Carol', 'carol@demo.test', true, now(), now(), NULL, NULL, NULL, NULL),
  ('u-dave', 'Dave', 'dave@demo.test', true, now(), now(), 'user', true, 'demo ban', NULL),
  ('u-erin', 'Erin', 'erin@demo.test', true, now(), now(), 'user', false, NULL, NULL),
  ('u-root', 'Root', 'root@demo.test', true, now(), now(), 'admin', false, NULL, NULL);

INSERT INTO public.organizations (id, name, slug, created_at) VALUES
  ('org-acme', 'Acme', 'acme', now());

INSERT INTO public.members (id, organization_id, user_id, role, created_at) VALUES
  ('m-alice', 'org-acme', 'u-alice', 'owner', now()),
  ('m-bob', 'org-acme', 'u-bob', 'staff', now()),
  ('m-carol', 'org-acme', 'u-carol', 'viewer', now()),
  ('m-dave', 'org-acme', 'u-dave', 'staff', now());
