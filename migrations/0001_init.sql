-- ku8portal schema: identity, tenancy, quotas, quota requests, audit.

CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username       text NOT NULL UNIQUE,
    display_name   text NOT NULL DEFAULT '',
    password_hash  text NOT NULL,
    platform_admin boolean NOT NULL DEFAULT false,
    disabled       boolean NOT NULL DEFAULT false,
    -- Bumped when the password changes or the user is disabled: sessions carry the epoch they
    -- were created in and end when it no longer matches.
    session_epoch  integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL UNIQUE,
    display_name text NOT NULL DEFAULT '',
    description  text NOT NULL DEFAULT '',
    -- Resource name -> quantity string (a ResourceQuota spec.hard).
    budget       jsonb NOT NULL DEFAULT '{}',
    pod_security text NOT NULL DEFAULT 'baseline'
                 CHECK (pod_security IN ('privileged', 'baseline', 'restricted')),
    disabled     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('tenant-admin', 'tenant-member', 'tenant-viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- A namespace ("resource partition") of a tenant: the desired state the reconciler applies.
CREATE TABLE namespaces (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid NOT NULL REFERENCES tenants (id),
    name              text NOT NULL,
    quota             jsonb NOT NULL DEFAULT '{}',
    -- {"default": {...}, "default_request": {...}, "max": {...}} for the LimitRange.
    limits            jsonb NOT NULL DEFAULT '{}',
    -- Bumped by every change of the desired state; the reconciler records what it applied.
    generation        bigint NOT NULL DEFAULT 1,
    synced_generation bigint NOT NULL DEFAULT 0,
    sync_state        text NOT NULL DEFAULT 'pending'
                      CHECK (sync_state IN ('pending', 'in-sync', 'failed', 'deleting', 'removed')),
    sync_message      text NOT NULL DEFAULT '',
    synced_at         timestamptz,
    deleted_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- A name is taken while the namespace exists (removed ones keep their history).
CREATE UNIQUE INDEX namespaces_live_name ON namespaces (name) WHERE sync_state <> 'removed';
CREATE INDEX namespaces_tenant ON namespaces (tenant_id);

CREATE TABLE quota_requests (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- NULL: a change of the tenant budget; else of this namespace's quota.
    namespace_id    uuid REFERENCES namespaces (id) ON DELETE CASCADE,
    requested_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    requester       text NOT NULL,
    reason          text NOT NULL,
    -- The resources to change and their new values.
    requested       jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
    approved        jsonb,
    decided_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    decider         text,
    decision_reason text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz
);
CREATE INDEX quota_requests_tenant ON quota_requests (tenant_id, created_at DESC);
CREATE INDEX quota_requests_pending ON quota_requests (created_at) WHERE status = 'pending';

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    -- SHA-256 of the secret; the secret itself is shown once and never stored.
    token_hash   bytea NOT NULL UNIQUE,
    prefix       text NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid,
    actor      text NOT NULL,
    tenant_id  uuid,
    tenant     text,
    action     text NOT NULL,
    target     text NOT NULL,
    -- Before/after summary of the change.
    detail     jsonb NOT NULL DEFAULT '{}',
    result     text NOT NULL,
    request_id text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, at DESC);
CREATE INDEX audit_events_actor ON audit_events (actor, at DESC);

-- Failed logins, for rate limiting across portal replicas.
CREATE TABLE login_failures (
    id       bigserial PRIMARY KEY,
    username text NOT NULL,
    addr     text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_addr ON login_failures (addr, at);
