-- Usage history (issue 7): what the collector reads from metrics.k8s.io and ResourceQuota
-- status on every interval.
--
-- A series is one measured quantity of one subject: scope `cluster` (name ''), `node`, `tenant`,
-- `namespace`, `app` (name 'namespace/app') or `pod` (name 'namespace/pod'); metric e.g. `cpu`
-- (cores), `memory` (bytes), `cpu.requests`, `quota.used/requests.cpu`. `tenant` is the owning
-- tenant (NULL for the cluster, nodes and namespaces no tenant owns): reads are checked with it.
CREATE TABLE metric_series (
    id     bigserial PRIMARY KEY,
    scope  text NOT NULL CHECK (scope IN ('cluster', 'node', 'tenant', 'namespace', 'app', 'pod')),
    name   text NOT NULL,
    metric text NOT NULL,
    tenant text,
    -- For usage series of pods, namespaces and nodes: the current requests and limits (or
    -- allocatable) of the subject, so rankings can say "% of request".
    request double precision,
    "limit" double precision,
    UNIQUE (scope, name, metric)
);
CREATE INDEX metric_series_tenant ON metric_series (tenant, scope);

-- Raw samples, kept for a day (pods are not sampled raw: too many; see metric_rollups).
CREATE TABLE metric_samples (
    series_id bigint NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (series_id, at)
);
CREATE INDEX metric_samples_at ON metric_samples (at);

-- Five-minute roll-ups (minimum, average, maximum of the samples in the bucket), kept for 30
-- days; pods' come straight from the collector and are kept for a day.
CREATE TABLE metric_rollups (
    series_id bigint NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    bucket    timestamptz NOT NULL,
    min       double precision NOT NULL,
    avg       double precision NOT NULL,
    max       double precision NOT NULL,
    samples   integer NOT NULL,
    PRIMARY KEY (series_id, bucket)
);
CREATE INDEX metric_rollups_bucket ON metric_rollups (bucket);

-- The collector's state across restarts and leader changes.
CREATE TABLE metric_collector (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    rolled_up_to   timestamptz,
    last_cycle_at  timestamptz,
    last_error     text NOT NULL DEFAULT '',
    metrics_api    boolean
);
INSERT INTO metric_collector (id) VALUES (true);
