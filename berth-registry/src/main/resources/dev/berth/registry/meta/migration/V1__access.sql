-- One schema for SQLite and PostgreSQL: text ids made by berth, times as epoch seconds,
-- flags as 0/1, so neither engine's own types or sequences are needed.
CREATE TABLE accounts (
    id            VARCHAR(64)  PRIMARY KEY,
    name          VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(255),
    admin         INTEGER      NOT NULL DEFAULT 0,
    disabled      INTEGER      NOT NULL DEFAULT 0,
    created       BIGINT       NOT NULL
);

CREATE TABLE projects (
    id            VARCHAR(64)  PRIMARY KEY,
    name          VARCHAR(255) NOT NULL UNIQUE,
    sharing_class VARCHAR(32)  NOT NULL,
    created       BIGINT       NOT NULL
);

CREATE TABLE members (
    project_id    VARCHAR(64)  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    member_name   VARCHAR(255) NOT NULL,
    is_group      INTEGER      NOT NULL DEFAULT 0,
    role          VARCHAR(32)  NOT NULL,
    PRIMARY KEY (project_id, member_name, is_group)
);

-- Personal access tokens and refresh (identity) tokens: only a SHA-256 of the secret is kept.
CREATE TABLE tokens (
    id            VARCHAR(64)  PRIMARY KEY,
    account_id    VARCHAR(64)  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind          VARCHAR(16)  NOT NULL,
    name          VARCHAR(255) NOT NULL,
    secret_hash   VARCHAR(128) NOT NULL UNIQUE,
    scopes        VARCHAR(4000) NOT NULL,
    created       BIGINT       NOT NULL,
    expires       BIGINT,
    revoked       BIGINT
);

CREATE TABLE audit (
    id            VARCHAR(64)  PRIMARY KEY,
    at_millis     BIGINT       NOT NULL,
    actor         VARCHAR(255) NOT NULL,
    address       VARCHAR(64),
    event         VARCHAR(64)  NOT NULL,
    target        VARCHAR(1000),
    outcome       VARCHAR(16)  NOT NULL
);

CREATE INDEX audit_at ON audit (at_millis);
