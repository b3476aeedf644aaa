-- 001: the first mlsec schema.
-- Content (deck, topic, card) is kept apart from learning state (schedule) and from
-- history (session, review). Never edit a released migration: add a new file.

-- Key/value facts about this file, e.g. the fingerprint of the built-in deck last loaded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE deck (
    id          TEXT PRIMARY KEY,            -- stable id from the deck file
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    framework   TEXT NOT NULL DEFAULT '[]',  -- JSON array: the answer framework's steps
    source      TEXT NOT NULL,               -- file of the last import, or 'builtin'
    updated_at  TEXT NOT NULL                -- RFC 3339 time of the last import
) STRICT;

CREATE TABLE topic (
    deck_id  TEXT NOT NULL REFERENCES deck(id) ON DELETE CASCADE,
    id       TEXT NOT NULL,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL,               -- order in the deck file
    PRIMARY KEY (deck_id, id)
) STRICT;

CREATE TABLE card (
    id       INTEGER PRIMARY KEY,            -- internal row id, never shown
    deck_id  TEXT NOT NULL REFERENCES deck(id) ON DELETE CASCADE,
    slug     TEXT NOT NULL,                  -- the card's id in its deck file
    topic    TEXT NOT NULL,                  -- topic id within the deck
    kind     TEXT NOT NULL CHECK (kind IN ('choice', 'recall')),
    tags     TEXT NOT NULL DEFAULT '[]',     -- JSON array of tags
    body     TEXT NOT NULL,                  -- JSON of deck::CardBody: question, options, answer…
    position INTEGER NOT NULL,               -- order in the deck file
    retired  INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)), -- gone from the deck: kept, never asked
    UNIQUE (deck_id, slug)
) STRICT;
CREATE INDEX card_topic ON card(deck_id, topic);

-- SM-2 state of every card that has had a graded review; a card without a row is new.
CREATE TABLE schedule (
    card_id     INTEGER PRIMARY KEY REFERENCES card(id) ON DELETE CASCADE,
    repetitions INTEGER NOT NULL,            -- consecutive passes (SM-2 n)
    ef          INTEGER NOT NULL,            -- E-Factor in hundredths: 250 is 2.50
    interval    INTEGER NOT NULL,            -- days
    due         TEXT NOT NULL,               -- study day YYYY-MM-DD
    lapses      INTEGER NOT NULL DEFAULT 0,  -- graded reviews with q < 3
    introduced  TEXT NOT NULL                -- study day of the first graded review
) STRICT;
CREATE INDEX schedule_due ON schedule(due);
CREATE INDEX schedule_introduced ON schedule(introduced);

CREATE TABLE session (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('study', 'review', 'mock')),
    started_at TEXT NOT NULL,                -- RFC 3339
    study_day  TEXT NOT NULL,
    ended_at   TEXT                          -- NULL while running, or if the process died
) STRICT;
CREATE INDEX session_day ON session(study_day);

-- One row per answer, committed before the next question is shown.
CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    card_id     INTEGER NOT NULL REFERENCES card(id) ON DELETE CASCADE,
    session_id  INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    reviewed_at TEXT NOT NULL,               -- RFC 3339
    study_day   TEXT NOT NULL,
    repeat      INTEGER NOT NULL CHECK (repeat IN (0, 1)), -- same-day repeat: schedule untouched
    chosen      TEXT,                        -- option key in FILE order, '?' = I don't know, NULL = recall
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    quality     INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    elapsed_ms  INTEGER NOT NULL,
    repetitions INTEGER NOT NULL,            -- the card's schedule after this answer
    ef          INTEGER NOT NULL,
    interval    INTEGER NOT NULL,
    due         TEXT NOT NULL
) STRICT;
CREATE INDEX review_day ON review(study_day);
CREATE INDEX review_card ON review(card_id, study_day);
CREATE INDEX review_session ON review(session_id);
