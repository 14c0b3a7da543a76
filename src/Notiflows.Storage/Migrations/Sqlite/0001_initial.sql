-- Timestamps are microseconds since the Unix epoch (integer) in both databases, so the SQL that
-- reads and writes them is the same for SQLite and PostgreSQL. Ids are UUIDv7.
CREATE TABLE server_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE accounts (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    created_at integer NOT NULL
);

CREATE TABLE account_tokens (
    id           text PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts(id),
    name         text NOT NULL,
    token_hash   blob NOT NULL UNIQUE,
    token_hint   text NOT NULL,
    created_at   integer NOT NULL,
    last_used_at integer NULL
);
CREATE INDEX account_tokens_account ON account_tokens (account_id, id);

CREATE TABLE projects (
    id                     text PRIMARY KEY,
    account_id             text NOT NULL REFERENCES accounts(id),
    slug                   text NOT NULL,
    name                   text NOT NULL,
    is_default             integer NOT NULL,
    security_mode          integer NOT NULL,
    allowed_origins        text NOT NULL,
    signing_public_key_pem text NULL,
    signing_key_created_at integer NULL,
    created_at             integer NOT NULL,
    updated_at             integer NOT NULL,
    UNIQUE (account_id, slug)
);

-- Public and secret keys of a project. The current key of a kind has expires_at NULL; rotated keys
-- keep working until expires_at. Secret keys are stored only as SHA-256 hashes.
CREATE TABLE project_keys (
    id         text PRIMARY KEY,
    project_id text NOT NULL REFERENCES projects(id),
    kind       text NOT NULL,
    public_key text NULL UNIQUE,
    key_hash   blob NOT NULL UNIQUE,
    key_hint   text NOT NULL,
    created_at integer NOT NULL,
    expires_at integer NULL
);
CREATE INDEX project_keys_project ON project_keys (project_id, kind);

CREATE TABLE channels (
    id               text PRIMARY KEY,
    project_id       text NOT NULL REFERENCES projects(id),
    handle           text NOT NULL,
    name             text NOT NULL,
    type             text NOT NULL,
    provider         text NOT NULL,
    is_default       integer NOT NULL,
    built_in         integer NOT NULL,
    config           text NOT NULL,
    secrets          text NULL,
    fallback_channel text NULL,
    created_at       integer NOT NULL,
    updated_at       integer NOT NULL,
    UNIQUE (project_id, handle)
);
CREATE INDEX channels_project_type ON channels (project_id, type, id);

CREATE TABLE notiflows (
    id                     text PRIMARY KEY,
    project_id             text NOT NULL REFERENCES projects(id),
    handle                 text NOT NULL,
    name                   text NOT NULL,
    description            text NULL,
    active                 integer NOT NULL,
    include_in_preferences integer NOT NULL,
    current_version_id     text NOT NULL,
    published_version_id   text NULL,
    archived_at            integer NULL,
    created_at             integer NOT NULL,
    updated_at             integer NOT NULL,
    UNIQUE (project_id, handle)
);

CREATE TABLE notiflow_versions (
    id             text PRIMARY KEY,
    notiflow_id    text NOT NULL REFERENCES notiflows(id),
    version_number integer NOT NULL,
    status         text NOT NULL,
    sha            text NOT NULL,
    steps          text NOT NULL,
    published_at   integer NULL,
    created_by     text NULL,
    published_by   text NULL,
    inserted_at    integer NOT NULL,
    updated_at     integer NOT NULL,
    UNIQUE (notiflow_id, version_number)
);
