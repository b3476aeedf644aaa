-- 003: fast daily figures on large collections.
-- The dashboard and the review queue need only the schedules of live (not retired)
-- cards. Keeping the retired flag on the schedule row as well (maintained by the
-- triggers below) lets them count and order due cards from one small index instead of
-- looking up every wide card row.
ALTER TABLE schedule ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
UPDATE schedule SET retired = (SELECT card.retired FROM card WHERE card.id = schedule.card_id);
-- In the review queue's order (most overdue, missed first, lowest EF), so the queue
-- needs no sort; its prefix serves the due counts.
CREATE INDEX schedule_queue ON schedule(retired, due, repetitions > 0, ef, card_id);
CREATE INDEX card_live ON card(retired, deck_id, topic);

CREATE TRIGGER schedule_retired_on_insert AFTER INSERT ON schedule BEGIN
    UPDATE schedule SET retired = (SELECT card.retired FROM card WHERE card.id = NEW.card_id)
    WHERE card_id = NEW.card_id;
END;

CREATE TRIGGER card_retired_to_schedule AFTER UPDATE OF retired ON card BEGIN
    UPDATE schedule SET retired = NEW.retired WHERE card_id = NEW.id;
END;
