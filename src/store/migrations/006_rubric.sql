-- 006: recall answers graded by their rubric, and answers in the learner's words (issue 13).
-- A recall card can be graded by ticking the rubric points the answer covered; the grade
-- follows from the share covered. Keeping which points were covered (not only the grade)
-- lets `mlsec stats` name the points a learner misses most. Old rows keep NULL: they were
-- graded without a checklist and had no typed text.

-- The rubric points covered, as a JSON array of point numbers from 1 in the rubric's
-- order, sorted and without repeats ('[]': none); NULL = not graded with a checklist.
ALTER TABLE review ADD COLUMN covered TEXT CHECK (covered IS NULL OR json_valid(covered));
-- Points in the card's rubric when it was graded with a checklist (a later import may
-- change the rubric); NULL exactly when covered is NULL.
ALTER TABLE review ADD COLUMN rubric_total INTEGER CHECK (rubric_total IS NULL OR rubric_total >= 1);
-- The answer as the learner typed it (`--type`) or a script sent it (`"text"`), as given:
-- control characters are kept here and made harmless where it is shown. NULL = none.
ALTER TABLE review ADD COLUMN answer_text TEXT;

-- The checklist answers that `mlsec stats` counts (same-day repeats, asked right after
-- the model answer was shown, are left out), read from the index alone.
CREATE INDEX review_checklist ON review (card_id, study_day, rubric_total, covered)
    WHERE covered IS NOT NULL AND repeat = 0;
