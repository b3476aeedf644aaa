-- 004: indexes for `mlsec stats` and `mlsec export` on a long history (issue 8).

-- The history of every card, in answer order, for the one pass that stats makes over all
-- answers (accuracy per topic, retention, activity, streaks). Reading a column of a row
-- costs more than stepping to it, so everything the pass needs besides the card and the
-- session is packed into one integer, kept in the index (store/report/history.rs decodes
-- it, and its query must spell the expression exactly as here):
--   bits 40..62  study_day as a Julian day number
--   bits 17..39  due as a Julian day number
--   bits  5..16  interval in days, at most 4095 (only "21 days or more" matters)
--   bits  2..4   quality · bit 1 correct · bit 0 repeat
CREATE INDEX review_history ON review (
    card_id,
    id,
    (max(0, min(8388607, CAST(julianday(study_day) AS INTEGER))) << 40)
        | (max(0, min(8388607, CAST(julianday(due) AS INTEGER))) << 17)
        | (max(0, min(4095, interval)) << 5)
        | (quality << 2) | (correct << 1) | repeat,
    session_id
);

-- Per-session totals (`stats` lists the latest sessions, `export --what sessions` all of
-- them) read from the index alone instead of one table row per answer.
CREATE INDEX review_session_totals ON review (session_id, repeat, correct, elapsed_ms, card_id);

-- Retired cards (few, usually none). With it, the stats pass over every card reads the
-- small card_topic index instead of every card row and the content stored in it.
CREATE INDEX card_retired ON card (id) WHERE retired = 1;
