-- 005: the new-card queue from an index (issue 15).
-- `mlsec study` introduces new cards round-robin over the topics: the first new card of
-- each topic, then the second of each, … With the cards of each topic in file order in
-- an index, the queue reads a few entries per topic instead of numbering every new card
-- of the collection and sorting them (150 ms on 100,000 cards, now a few).
CREATE INDEX card_study_order ON card(retired, deck_id, topic, position);
