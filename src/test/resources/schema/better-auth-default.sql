-- Better Auth 1.7 schema with the library's own default naming, as `npx auth migrate` (its Kysely
-- migration, packages/better-auth/src/db/get-migration.ts) creates it in PostgreSQL: singular
-- camelCase table names, camelCase quoted columns, timestamptz, inline primary keys and UNIQUE,
-- foreign keys ON DELETE CASCADE, and `<table>_<column>_idx` indexes. Same plugins and columns as
-- better-auth-plural-snake.sql (admin, organization with teams and dynamic access control, jwt,
-- bearer); only the names differ. Static defaults (false, 'member') are not emitted by the
-- migration for new tables, so there are none here either.
-- Note: Better Auth does NOT create the three indexes the ADR requires
-- (idx_users_role, idx_members_user_org, idx_members_organization_id_role); the owners add them.

create table "user" (
    "id" text not null primary key,
    "name" text not null,
    "email" text not null unique,
    "emailVerified" boolean not null,
    "image" text,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz default CURRENT_TIMESTAMP not null,
    "role" text,
    "banned" boolean,
    "banReason" text,
    "banExpires" timestamptz
);

create table "session" (
    "id" text not null primary key,
    "expiresAt" timestamptz not null,
    "token" text not null unique,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz not null,
    "ipAddress" text,
    "userAgent" text,
    "userId" text not null references "user" ("id") on delete cascade,
    "impersonatedBy" text,
    "activeOrganizationId" text,
    "activeTeamId" text
);

create table "account" (
    "id" text not null primary key,
    "accountId" text not null,
    "providerId" text not null,
    "userId" text not null references "user" ("id") on delete cascade,
    "accessToken" text,
    "refreshToken" text,
    "idToken" text,
    "accessTokenExpiresAt" timestamptz,
    "refreshTokenExpiresAt" timestamptz,
    "scope" text,
    "password" text,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz not null
);

create table "verification" (
    "id" text not null primary key,
    "identifier" text not null,
    "value" text not null,
    "expiresAt" timestamptz not null,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz default CURRENT_TIMESTAMP not null
);

create table "organization" (
    "id" text not null primary key,
    "name" text not null,
    "slug" text not null unique,
    "logo" text,
    "createdAt" timestamptz not null,
    "metadata" text
);

create table "team" (
    "id" text not null primary key,
    "name" text not null,
    "memberCount" integer not null,
    "organizationId" text not null references "organization" ("id") on delete cascade,
    "createdAt" timestamptz not null,
    "updatedAt" timestamptz
);

create table "teamMember" (
    "id" text not null primary key,
    "teamId" text not null references "team" ("id") on delete cascade,
    "userId" text not null references "user" ("id") on delete cascade,
    "membershipKey" text unique,
    "createdAt" timestamptz
);

create table "organizationRole" (
    "id" text not null primary key,
    "organizationId" text not null references "organization" ("id") on delete cascade,
    "role" text not null,
    "permission" text not null,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "updatedAt" timestamptz
);

create table "member" (
    "id" text not null primary key,
    "organizationId" text not null references "organization" ("id") on delete cascade,
    "userId" text not null references "user" ("id") on delete cascade,
    "role" text not null,
    "createdAt" timestamptz not null
);

create table "invitation" (
    "id" text not null primary key,
    "organizationId" text not null references "organization" ("id") on delete cascade,
    "email" text not null,
    "role" text,
    "teamId" text,
    "status" text not null,
    "expiresAt" timestamptz not null,
    "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
    "inviterId" text not null references "user" ("id") on delete cascade
);

create table "jwks" (
    "id" text not null primary key,
    "publicKey" text not null,
    "privateKey" text not null,
    "createdAt" timestamptz not null,
    "expiresAt" timestamptz,
    "alg" text,
    "crv" text
);

create index "session_userId_idx" on "session" ("userId");

create index "account_userId_idx" on "account" ("userId");

create index "verification_identifier_idx" on "verification" ("identifier");

create index "team_organizationId_idx" on "team" ("organizationId");

create index "teamMember_teamId_idx" on "teamMember" ("teamId");

create index "teamMember_userId_idx" on "teamMember" ("userId");

create index "organizationRole_organizationId_idx" on "organizationRole" ("organizationId");

create index "organizationRole_role_idx" on "organizationRole" ("role");

create index "member_organizationId_idx" on "member" ("organizationId");

create index "member_userId_idx" on "member" ("userId");

create index "invitation_organizationId_idx" on "invitation" ("organizationId");

create index "invitation_email_idx" on "invitation" ("email");
