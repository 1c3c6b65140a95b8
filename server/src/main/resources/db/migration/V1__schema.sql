-- Parley server schema (SQLite and PostgreSQL alike). Times are epoch milliseconds; flags are 0/1.
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    admin       INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

CREATE TABLE tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE context_docs (
    id          TEXT PRIMARY KEY,
    owner_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    content     TEXT NOT NULL,
    chars       INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE sessions (
    id               TEXT PRIMARY KEY,
    creator_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    session_type     TEXT NOT NULL,
    mode             TEXT NOT NULL,
    status           TEXT NOT NULL,
    scheduled_at     BIGINT,
    started_at       BIGINT,
    ended_at         BIGINT,
    end_reason       TEXT,
    duration_minutes INTEGER NOT NULL,
    max_participants INTEGER NOT NULL,
    agent_enabled    INTEGER NOT NULL,
    wake_phrase      TEXT,
    project_link     TEXT,
    log_session_id   TEXT REFERENCES context_docs(id) ON DELETE SET NULL,
    share_token      TEXT UNIQUE,
    owner_node       TEXT,
    owner_url        TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE INDEX sessions_status ON sessions(status);

CREATE TABLE participants (
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    present     INTEGER NOT NULL,
    joined_at   BIGINT NOT NULL,
    left_at     BIGINT,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX participants_user ON participants(user_id);

CREATE TABLE messages (
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    speaker_id  TEXT NOT NULL,
    speaker     TEXT NOT NULL,
    content     TEXT NOT NULL,
    spoken      INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (session_id, seq)
);
CREATE INDEX messages_speaker ON messages(speaker_id);

CREATE TABLE interactions (
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    asker_id    TEXT NOT NULL,
    asker       TEXT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    latency_ms  BIGINT NOT NULL,
    interrupted INTEGER NOT NULL,
    helpful     INTEGER,
    created_at  BIGINT NOT NULL
);
CREATE INDEX interactions_session ON interactions(session_id);
CREATE INDEX interactions_asker ON interactions(asker_id);
