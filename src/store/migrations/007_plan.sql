-- 007: an interview plan (`mlsec plan`, issue 14).
-- The plan paces new cards so that every card of its scope is seen before the interview,
-- and on the two days before it `mlsec review` runs a final pass over the cards SM-2 would
-- not show again before the interview. Neither moves EF, intervals or repetitions: the
-- schedule stays SM-2's, as with mock interviews (002).

-- The plan: at most one, replaced when a new one is set.
CREATE TABLE plan (
    id        INTEGER PRIMARY KEY CHECK (id = 1), -- one plan at a time
    interview TEXT NOT NULL,                     -- study day of the interview, YYYY-MM-DD
    deck      TEXT,                              -- the scope: --deck, or NULL for any deck
    topics    TEXT NOT NULL DEFAULT '[]',        -- JSON array of --topic ids (any of them)
    tags      TEXT NOT NULL DEFAULT '[]',        -- JSON array of --tag values (any of them)
    set_at    TEXT NOT NULL                      -- RFC 3339 time the plan was set
) STRICT;

-- A final-pass answer: a review row (repeat = 0) of a review session that is neither the
-- card's graded review of the day nor a same-day repeat. It holds the interview day of
-- the plan that asked it, so that what the answer did to the due date (a miss makes the
-- card due the next day, when that is before the interview) can be replayed from the
-- history alone, whatever plan is set later. NULL for every other answer.
ALTER TABLE review ADD COLUMN final_pass_for TEXT;

-- The few final-pass answers, which the stats pass over the history leaves out of the
-- graded figures, found without reading every answer.
CREATE INDEX review_final_pass ON review (id) WHERE final_pass_for IS NOT NULL;
