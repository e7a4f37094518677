-- Every move of a tag (a push, a restore, a deletion): what it pointed at before and after
-- (null: no such tag before / removed), who did it, from where, when (epoch microseconds).
CREATE TABLE tag_history (
    id            VARCHAR(64)   PRIMARY KEY,
    repository    VARCHAR(1000) NOT NULL,
    tag           VARCHAR(128)  NOT NULL,
    at_micros     BIGINT        NOT NULL,
    old_digest    VARCHAR(200),
    new_digest    VARCHAR(200),
    actor         VARCHAR(255)  NOT NULL,
    address       VARCHAR(64),
    client        VARCHAR(255)
);

CREATE INDEX tag_history_tag ON tag_history (repository, tag, at_micros);
CREATE INDEX tag_history_at ON tag_history (at_micros);

-- Tag patterns (globs: * and ?) that no push may move once the tag exists, per project.
ALTER TABLE projects ADD COLUMN immutable_tags VARCHAR(4000) NOT NULL DEFAULT '';
