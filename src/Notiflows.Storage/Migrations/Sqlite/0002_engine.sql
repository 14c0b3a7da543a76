-- Users, topics, runs, notifications, deliveries, the job queue and the engine's keyed state.
CREATE TABLE users (
    id            text PRIMARY KEY,
    project_id    text NOT NULL REFERENCES projects(id),
    external_id   text NOT NULL,
    email         text NULL,
    phone         text NULL,
    first_name    text NULL,
    last_name     text NULL,
    avatar        text NULL,
    locale        text NULL,
    timezone      text NULL,
    custom_fields text NOT NULL,
    created_at    integer NOT NULL,
    updated_at    integer NOT NULL,
    UNIQUE (project_id, external_id)
);
CREATE INDEX users_project_id ON users (project_id, id);

CREATE TABLE topics (
    id         text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id),
    name       text NOT NULL,
    created_at integer NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX topics_project_id ON topics (project_id, id);

CREATE TABLE subscriptions (
    id         text PRIMARY KEY,
    project_id text NOT NULL,
    topic_id   text NOT NULL REFERENCES topics(id),
    user_id    text NOT NULL REFERENCES users(id),
    created_at integer NOT NULL,
    UNIQUE (topic_id, user_id)
);
CREATE INDEX subscriptions_topic_id ON subscriptions (topic_id, id);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

CREATE TABLE runs (
    id                  text PRIMARY KEY,
    project_id          text NOT NULL REFERENCES projects(id),
    notiflow_id         text NOT NULL REFERENCES notiflows(id),
    version_id          text NOT NULL REFERENCES notiflow_versions(id),
    draft               integer NOT NULL,
    status              text NOT NULL,
    source              text NOT NULL,
    triggered_by        text NULL,
    topic               text NULL,
    recipient_ids       text NULL,
    recipient_count     integer NULL,
    actor_id            text NULL,
    data                text NOT NULL,
    cancellation_key    text NULL,
    fan_out_status      text NOT NULL,
    fan_out_total       integer NULL,
    fan_out_created     integer NOT NULL,
    fan_out_cursor      text NULL,
    cancel_requested_at integer NULL,
    started_at          integer NULL,
    completed_at        integer NULL,
    created_at          integer NOT NULL,
    updated_at          integer NOT NULL
);
CREATE INDEX runs_project_id ON runs (project_id, id);
CREATE INDEX runs_cancellation_key ON runs (project_id, cancellation_key) WHERE cancellation_key IS NOT NULL;

CREATE TABLE notifications (
    id                            text PRIMARY KEY,
    project_id                    text NOT NULL,
    run_id                        text NOT NULL REFERENCES runs(id),
    notiflow_id                   text NOT NULL,
    version_id                    text NOT NULL,
    recipient_id                  text NOT NULL,
    actor_id                      text NULL,
    topic                         text NULL,
    status                        text NOT NULL,
    status_reason                 text NULL,
    error                         text NULL,
    next_step                     text NULL,
    digest_id                     text NULL,
    digested_into_notification_id text NULL,
    processed_at                  integer NULL,
    created_at                    integer NOT NULL,
    updated_at                    integer NOT NULL,
    UNIQUE (run_id, recipient_id)
);
CREATE INDEX notifications_project_id ON notifications (project_id, id);
CREATE INDEX notifications_run_id ON notifications (run_id, id);
CREATE INDEX notifications_run_open ON notifications (run_id) WHERE status IN ('pending', 'processing');
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;

CREATE TABLE step_executions (
    notification_id    text NOT NULL,
    step_handle        text NOT NULL,
    seq                integer NOT NULL,
    step_type          text NOT NULL,
    parent_step_handle text NULL,
    branch_handle      text NULL,
    outcome            text NOT NULL,
    reason             text NULL,
    started_at         integer NOT NULL,
    completed_at       integer NULL,
    PRIMARY KEY (notification_id, step_handle)
);

CREATE TABLE deliveries (
    id                  text PRIMARY KEY,
    project_id          text NOT NULL,
    notification_id     text NOT NULL,
    notiflow_id         text NOT NULL,
    run_id              text NOT NULL,
    step_handle         text NOT NULL,
    channel_id          text NULL,
    channel_type        text NOT NULL,
    provider            text NULL,
    recipient_id        text NOT NULL,
    actor_id            text NULL,
    status              text NOT NULL,
    skip_reason         text NULL,
    data                text NOT NULL,
    recipient_address   text NULL,
    provider_message_id text NULL,
    topic               text NULL,
    error               text NULL,
    attempts            text NOT NULL,
    next_attempt_at     integer NULL,
    sent_at             integer NULL,
    delivered_at        integer NULL,
    seen_at             integer NULL,
    read_at             integer NULL,
    clicked_at          integer NULL,
    archived_at         integer NULL,
    created_at          integer NOT NULL,
    updated_at          integer NOT NULL,
    UNIQUE (notification_id, step_handle)
);
CREATE INDEX deliveries_project_id ON deliveries (project_id, id);
CREATE INDEX deliveries_recipient ON deliveries (recipient_id, id);

-- The job queue: due work, claimed with a lease. Deleting (or rescheduling) a job happens in the same
-- transaction as its effects, and only by the worker that still holds the lease.
CREATE TABLE jobs (
    id           text PRIMARY KEY,
    kind         text NOT NULL,
    target_id    text NOT NULL,
    due_at       integer NOT NULL,
    locked_until integer NULL,
    locked_by    text NULL,
    attempts     integer NOT NULL,
    last_error   text NULL,
    created_at   integer NOT NULL,
    UNIQUE (kind, target_id)
);
CREATE INDEX jobs_due ON jobs (due_at);

CREATE TABLE digest_windows (
    id                      text PRIMARY KEY,
    notiflow_id             text NOT NULL,
    step_handle             text NOT NULL,
    recipient_id            text NOT NULL,
    digest_key              text NOT NULL,
    carrier_notification_id text NOT NULL,
    status                  text NOT NULL,
    total_items             integer NOT NULL,
    opened_at               integer NOT NULL,
    closes_at               integer NOT NULL
);
CREATE UNIQUE INDEX digest_windows_open ON digest_windows (notiflow_id, step_handle, recipient_id, digest_key) WHERE status = 'open';

CREATE TABLE throttle_passes (
    notiflow_id  text NOT NULL,
    step_handle  text NOT NULL,
    recipient_id text NOT NULL,
    throttle_key text NOT NULL,
    passed_at    integer NOT NULL,
    PRIMARY KEY (notiflow_id, step_handle, recipient_id, throttle_key)
);

CREATE TABLE idempotency_keys (
    scope_id        text NOT NULL,
    idem_key        text NOT NULL,
    fingerprint     text NOT NULL,
    status          text NOT NULL,
    response_status integer NULL,
    response_body   text NULL,
    location        text NULL,
    created_at      integer NOT NULL,
    expires_at      integer NOT NULL,
    PRIMARY KEY (scope_id, idem_key)
);
