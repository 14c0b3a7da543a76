-- Timestamps are microseconds since the Unix epoch (bigint) in both databases, so the SQL that
-- reads and writes them is the same for SQLite and PostgreSQL. Ids are UUIDv7.
CREATE TABLE server_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE accounts (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE account_tokens (
    id           uuid PRIMARY KEY,
    account_id   uuid NOT NULL REFERENCES accounts(id),
    name         text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    token_hint   text NOT NULL,
    created_at   bigint NOT NULL,
    last_used_at bigint NULL
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, id);

CREATE TABLE projects (
    id                     uuid PRIMARY KEY,
    account_id             uuid NOT NULL REFERENCES accounts(id),
    slug                   text NOT NULL,
    name                   text NOT NULL,
    is_default             boolean NOT NULL,
    security_mode          boolean NOT NULL,
    allowed_origins        text NOT NULL,
    signing_public_key_pem text NULL,
    signing_key_created_at bigint NULL,
    created_at             bigint NOT NULL,
    updated_at             bigint NOT NULL,
    UNIQUE (account_id, slug)
);

-- Public and secret keys of a project. The current key of a kind has expires_at NULL; rotated keys
-- keep working until expires_at. Secret keys are stored only as SHA-256 hashes.
CREATE TABLE project_keys (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects(id),
    kind       text NOT NULL,
    public_key text NULL UNIQUE,
    key_hash   bytea NOT NULL UNIQUE,
    key_hint   text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NULL
);
CREATE INDEX project_keys_project ON project_keys (project_id, kind);

CREATE TABLE channels (
    id               uuid PRIMARY KEY,
    project_id       uuid NOT NULL REFERENCES projects(id),
    handle           text NOT NULL,
    name             text NOT NULL,
    type             text NOT NULL,
    provider         text NOT NULL,
    is_default       boolean NOT NULL,
    built_in         boolean NOT NULL,
    config           text NOT NULL,
    secrets          text NULL,
    fallback_channel text NULL,
    created_at       bigint NOT NULL,
    updated_at       bigint NOT NULL,
    UNIQUE (project_id, handle)
);
CREATE INDEX channels_project_type ON channels (project_id, type, id);

CREATE TABLE notiflows (
    id                     uuid PRIMARY KEY,
    project_id             uuid NOT NULL REFERENCES projects(id),
    handle                 text NOT NULL,
    name                   text NOT NULL,
    description            text NULL,
    active                 boolean NOT NULL,
    include_in_preferences boolean NOT NULL,
    current_version_id     uuid NOT NULL,
    published_version_id   uuid NULL,
    archived_at            bigint NULL,
    created_at             bigint NOT NULL,
    updated_at             bigint NOT NULL,
    UNIQUE (project_id, handle)
);

CREATE TABLE notiflow_versions (
    id             uuid PRIMARY KEY,
    notiflow_id    uuid NOT NULL REFERENCES notiflows(id),
    version_number integer NOT NULL,
    status         text NOT NULL,
    sha            text NOT NULL,
    steps          text NOT NULL,
    published_at   bigint NULL,
    created_by     uuid NULL,
    published_by   uuid NULL,
    inserted_at    bigint NOT NULL,
    updated_at     bigint NOT NULL,
    UNIQUE (notiflow_id, version_number)
);
