-- 002: mock interviews (`mlsec mock`, issue 6).
-- A mock answer is a review row of a session of kind 'mock': it never moves EF or the
-- interval (the queue queries skip mock sessions), but a miss pulls the card's due date
-- forward to the next study day.

-- An answer given after the mock's time limit: counted as a miss (correct = 0) whatever
-- was chosen; this flag keeps the reason. Always 0 outside mocks.
ALTER TABLE review ADD COLUMN over_time INTEGER NOT NULL DEFAULT 0 CHECK (over_time IN (0, 1));

-- How a mock session chose and timed its questions (one row per mock session).
CREATE TABLE mock (
    session_id INTEGER PRIMARY KEY REFERENCES session(id) ON DELETE CASCADE,
    planned    INTEGER NOT NULL,             -- questions asked for (--count)
    seed       INTEGER NOT NULL,             -- the selection seed (--seed, or the one drawn), as i64 bits
    weighting  TEXT NOT NULL CHECK (weighting IN ('weak', 'random')), -- toward weak spots, or uniform
    time_limit INTEGER,                      -- seconds per question; NULL = no limit
    structure  INTEGER NOT NULL CHECK (structure IN (0, 1)) -- the classify drill was on
) STRICT;

-- The structure drill: before a card's options the learner classified its attack vector
-- (phase and/or attacker knowledge, from the card's tags). Scored apart from the answer.
CREATE TABLE classify (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    card_id     INTEGER NOT NULL REFERENCES card(id) ON DELETE CASCADE,
    answered_at TEXT NOT NULL,               -- RFC 3339
    study_day   TEXT NOT NULL,
    expected    TEXT NOT NULL,               -- the vector from the tags, e.g. 'inference-time, black-box'
    chosen      TEXT,                        -- the learner's vector in the same form; NULL = I don't know
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)), -- right and within the time limit
    over_time   INTEGER NOT NULL CHECK (over_time IN (0, 1)),
    elapsed_ms  INTEGER NOT NULL             -- from the question appearing to this answer
) STRICT;
CREATE INDEX classify_session ON classify(session_id);
