-- Users, topics, runs, notifications, deliveries, the job queue and the engine's keyed state.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    project_id    uuid NOT NULL REFERENCES projects(id),
    external_id   text NOT NULL,
    email         text NULL,
    phone         text NULL,
    first_name    text NULL,
    last_name     text NULL,
    avatar        text NULL,
    locale        text NULL,
    timezone      text NULL,
    custom_fields text NOT NULL,
    created_at    bigint NOT NULL,
    updated_at    bigint NOT NULL,
    UNIQUE (project_id, external_id)
);
CREATE INDEX users_project_id ON users (project_id, id);

CREATE TABLE topics (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects(id),
    name       text NOT NULL,
    created_at bigint NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX topics_project_id ON topics (project_id, id);

CREATE TABLE subscriptions (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    topic_id   uuid NOT NULL REFERENCES topics(id),
    user_id    uuid NOT NULL REFERENCES users(id),
    created_at bigint NOT NULL,
    UNIQUE (topic_id, user_id)
);
CREATE INDEX subscriptions_topic_id ON subscriptions (topic_id, id);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

CREATE TABLE runs (
    id                  uuid PRIMARY KEY,
    project_id          uuid NOT NULL REFERENCES projects(id),
    notiflow_id         uuid NOT NULL REFERENCES notiflows(id),
    version_id          uuid NOT NULL REFERENCES notiflow_versions(id),
    draft               boolean NOT NULL,
    status              text NOT NULL,
    source              text NOT NULL,
    triggered_by        text NULL,
    topic               text NULL,
    recipient_ids       text NULL,
    recipient_count     integer NULL,
    actor_id            uuid NULL,
    data                text NOT NULL,
    cancellation_key    text NULL,
    fan_out_status      text NOT NULL,
    fan_out_total       integer NULL,
    fan_out_created     integer NOT NULL,
    fan_out_cursor      uuid NULL,
    cancel_requested_at bigint NULL,
    started_at          bigint NULL,
    completed_at        bigint NULL,
    created_at          bigint NOT NULL,
    updated_at          bigint NOT NULL
);
CREATE INDEX runs_project_id ON runs (project_id, id);
CREATE INDEX runs_cancellation_key ON runs (project_id, cancellation_key) WHERE cancellation_key IS NOT NULL;

CREATE TABLE notifications (
    id                            uuid PRIMARY KEY,
    project_id                    uuid NOT NULL,
    run_id                        uuid NOT NULL REFERENCES runs(id),
    notiflow_id                   uuid NOT NULL,
    version_id                    uuid NOT NULL,
    recipient_id                  uuid NOT NULL,
    actor_id                      uuid NULL,
    topic                         text NULL,
    status                        text NOT NULL,
    status_reason                 text NULL,
    error                         text NULL,
    next_step                     text NULL,
    digest_id                     uuid NULL,
    digested_into_notification_id uuid NULL,
    processed_at                  bigint NULL,
    created_at                    bigint NOT NULL,
    updated_at                    bigint NOT NULL,
    UNIQUE (run_id, recipient_id)
);
CREATE INDEX notifications_project_id ON notifications (project_id, id);
CREATE INDEX notifications_run_id ON notifications (run_id, id);
CREATE INDEX notifications_run_open ON notifications (run_id) WHERE status IN ('pending', 'processing');
CREATE INDEX notifications_recipient ON notifications (recipient_id, id);
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;

CREATE TABLE step_executions (
    notification_id    uuid NOT NULL,
    step_handle        text NOT NULL,
    seq                integer NOT NULL,
    step_type          text NOT NULL,
    parent_step_handle text NULL,
    branch_handle      text NULL,
    outcome            text NOT NULL,
    reason             text NULL,
    started_at         bigint NOT NULL,
    completed_at       bigint NULL,
    PRIMARY KEY (notification_id, step_handle)
);

CREATE TABLE deliveries (
    id                  uuid PRIMARY KEY,
    project_id          uuid NOT NULL,
    notification_id     uuid NOT NULL,
    notiflow_id         uuid NOT NULL,
    run_id              uuid NOT NULL,
    step_handle         text NOT NULL,
    channel_id          uuid NULL,
    channel_type        text NOT NULL,
    provider            text NULL,
    recipient_id        uuid NOT NULL,
    actor_id            uuid NULL,
    status              text NOT NULL,
    skip_reason         text NULL,
    data                text NOT NULL,
    recipient_address   text NULL,
    provider_message_id text NULL,
    topic               text NULL,
    error               text NULL,
    attempts            text NOT NULL,
    next_attempt_at     bigint NULL,
    sent_at             bigint NULL,
    delivered_at        bigint NULL,
    seen_at             bigint NULL,
    read_at             bigint NULL,
    clicked_at          bigint NULL,
    archived_at         bigint NULL,
    created_at          bigint NOT NULL,
    updated_at          bigint NOT NULL,
    UNIQUE (notification_id, step_handle)
);
CREATE INDEX deliveries_project_id ON deliveries (project_id, id);
CREATE INDEX deliveries_recipient ON deliveries (recipient_id, id);

-- The job queue: due work, claimed with a lease. Deleting (or rescheduling) a job happens in the same
-- transaction as its effects, and only by the worker that still holds the lease.
CREATE TABLE jobs (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL,
    target_id    uuid NOT NULL,
    due_at       bigint NOT NULL,
    locked_until bigint NULL,
    locked_by    text NULL,
    attempts     integer NOT NULL,
    last_error   text NULL,
    created_at   bigint NOT NULL,
    UNIQUE (kind, target_id)
);
CREATE INDEX jobs_due ON jobs (due_at);

CREATE TABLE digest_windows (
    id                      uuid PRIMARY KEY,
    notiflow_id             uuid NOT NULL,
    step_handle             text NOT NULL,
    recipient_id            uuid NOT NULL,
    digest_key              text NOT NULL,
    carrier_notification_id uuid NOT NULL,
    status                  text NOT NULL,
    total_items             integer NOT NULL,
    opened_at               bigint NOT NULL,
    closes_at               bigint NOT NULL
);
CREATE UNIQUE INDEX digest_windows_open ON digest_windows (notiflow_id, step_handle, recipient_id, digest_key) WHERE status = 'open';

CREATE TABLE throttle_passes (
    notiflow_id  uuid NOT NULL,
    step_handle  text NOT NULL,
    recipient_id uuid NOT NULL,
    throttle_key text NOT NULL,
    passed_at    bigint NOT NULL,
    PRIMARY KEY (notiflow_id, step_handle, recipient_id, throttle_key)
);

CREATE TABLE idempotency_keys (
    scope_id        uuid NOT NULL,
    idem_key        text NOT NULL,
    fingerprint     text NOT NULL,
    status          text NOT NULL,
    response_status integer NULL,
    response_body   text NULL,
    location        text NULL,
    created_at      bigint NOT NULL,
    expires_at      bigint NOT NULL,
    PRIMARY KEY (scope_id, idem_key)
);
