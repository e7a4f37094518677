-- Accounts that come from a directory (LDAP, OpenID Connect) and robots, the groups a directory
-- reported at the last sign-in, the conditions of the restricted class, and licence gates.
ALTER TABLE accounts ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'local';
-- A robot belongs to one project; a runner robot may pull exec-only content for the nodes it serves.
ALTER TABLE accounts ADD COLUMN robot_project VARCHAR(255);
ALTER TABLE accounts ADD COLUMN runner INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN expires BIGINT;

CREATE TABLE account_groups (
    account_id    VARCHAR(64)  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    group_name    VARCHAR(255) NOT NULL,
    PRIMARY KEY (account_id, group_name)
);

-- Conditions of the restricted class, as space-separated lists; empty means no such condition.
ALTER TABLE projects ADD COLUMN allowed_groups VARCHAR(4000) NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN allowed_networks VARCHAR(4000) NOT NULL DEFAULT '';

-- Per-repository settings: a class that overrides the project's (null: inherit), and its licence.
CREATE TABLE repositories (
    name             VARCHAR(1000) PRIMARY KEY,
    sharing_class    VARCHAR(32),
    allowed_groups   VARCHAR(4000) NOT NULL DEFAULT '',
    allowed_networks VARCHAR(4000) NOT NULL DEFAULT '',
    licence_spdx     VARCHAR(1000),
    licence_text     TEXT,
    licence_digest   VARCHAR(80)
);

-- Who accepted which text of a repository's licence, and when: a new text needs a new acceptance.
CREATE TABLE licence_acceptances (
    account_id    VARCHAR(64)   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    repository    VARCHAR(1000) NOT NULL,
    text_digest   VARCHAR(80)   NOT NULL,
    accepted      BIGINT        NOT NULL,
    PRIMARY KEY (account_id, repository, text_digest)
);
