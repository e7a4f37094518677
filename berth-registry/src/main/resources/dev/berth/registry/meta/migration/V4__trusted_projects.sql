-- A trusted project takes pushes from its maintainers only, and an image in it is trusted while a
-- signature by one of its staff keys (PEM public keys, cosign's format) covers the image's digest.
ALTER TABLE projects ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE project_keys (
    project_id    VARCHAR(64)  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          VARCHAR(128) NOT NULL,
    public_key    VARCHAR(4000) NOT NULL,
    fingerprint   VARCHAR(80)  NOT NULL,
    added_by      VARCHAR(255) NOT NULL,
    added         BIGINT       NOT NULL,
    PRIMARY KEY (project_id, name)
);
