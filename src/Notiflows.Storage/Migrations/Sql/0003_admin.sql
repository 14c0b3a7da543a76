-- Per-user channel settings (§5.6), web-push channel subscriptions (§5.7) and preferences (§5.8), and the indexes
-- the Admin API lists filter through (§6.1, §6.7, §6.8): every list is newest first (id descending) within one
-- project, so each filter has an index led by (project_id, filter) and ending in id.
CREATE TABLE channel_settings (
    user_id    uuid NOT NULL,
    channel_id uuid NOT NULL,
    project_id uuid NOT NULL,
    settings   text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (user_id, channel_id)
);
CREATE INDEX channel_settings_channel ON channel_settings (channel_id);

CREATE TABLE channel_subscriptions (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    user_id    uuid NOT NULL,
    channel_id uuid NOT NULL,
    identifier text NOT NULL,
    settings   text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (user_id, channel_id, identifier)
);
CREATE INDEX channel_subscriptions_channel ON channel_subscriptions (channel_id);

-- Only what the user set (see Notiflows.Core.Users.PreferenceSet):
-- {"channel_types": {"sms": false}, "notiflows": {"<notiflow id>": {"enabled": false, "channel_types": {"email": true}}}}
CREATE TABLE user_preferences (
    user_id     uuid PRIMARY KEY,
    project_id  uuid NOT NULL,
    preferences text NOT NULL,
    updated_at  bigint NOT NULL
);

CREATE INDEX notifications_project_status ON notifications (project_id, status, id);
CREATE INDEX notifications_project_topic ON notifications (project_id, topic, id) WHERE topic IS NOT NULL;
CREATE INDEX notifications_project_notiflow ON notifications (project_id, notiflow_id, id);

CREATE INDEX deliveries_project_status ON deliveries (project_id, status, id);
CREATE INDEX deliveries_project_channel ON deliveries (project_id, channel_id, id);
CREATE INDEX deliveries_project_channel_type ON deliveries (project_id, channel_type, id);
CREATE INDEX deliveries_project_topic ON deliveries (project_id, topic, id) WHERE topic IS NOT NULL;
CREATE INDEX deliveries_project_notiflow ON deliveries (project_id, notiflow_id, id);
CREATE INDEX deliveries_run ON deliveries (run_id, id);

-- Runs (§6.6) the same way; the cancellation-key index gains id so a key's runs list in order too (the cancel-by-key
-- lookup still uses its first two columns).
CREATE INDEX runs_project_status ON runs (project_id, status, id);
CREATE INDEX runs_project_topic ON runs (project_id, topic, id) WHERE topic IS NOT NULL;
CREATE INDEX runs_project_notiflow ON runs (project_id, notiflow_id, id);
DROP INDEX runs_cancellation_key;
CREATE INDEX runs_cancellation_key ON runs (project_id, cancellation_key, id) WHERE cancellation_key IS NOT NULL;

DROP INDEX subscriptions_user;
CREATE INDEX subscriptions_user_id ON subscriptions (user_id, id);
