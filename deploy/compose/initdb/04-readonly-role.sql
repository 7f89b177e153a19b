-- better-authz is a read-only consumer: it connects as a role that can only SELECT.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'better_authz') THEN
    CREATE ROLE better_authz LOGIN PASSWORD 'demo-only';
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO better_authz;
GRANT SELECT ON public.users, public.members, public.organizations, public.sessions, public.jwks
  TO better_authz;
ALTER ROLE better_authz SET default_transaction_read_only = on;
