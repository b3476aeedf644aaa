//! The recall answers graded by their rubric checklist, as `mlsec stats` reads them to
//! find the points a learner misses most (issue 13). Read from the partial index of
//! migration 006, which holds only checklist answers that are not same-day repeats (a
//! repeat comes minutes after the model answer was shown, so its ticks say little).

use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::answers::text;
use super::{CardKey, Filter, Store};
use crate::clock::StudyDay;
use crate::error::Result;

impl Store {
    /// Every checklist answer on the filtered live cards since `since` (study, review and
    /// mock alike, same-day repeats left out), one at a time: the card, the points
    /// covered (numbered from 1) and the rubric's size then.
    pub fn each_checklist(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        mut f: impl FnMut(CardKey, &[u32], u32),
    ) -> Result<()> {
        let mut params = Vec::new();
        let since_cond = match since {
            Some(day) => {
                params.push(SqlValue::Text(day.to_string()));
                " AND r.study_day >= ?"
            }
            None => "",
        };
        let cond = filter.sql(&mut params);
        // The conditions of the partial index, spelled as in migration 006.
        let sql = format!(
            "SELECT r.card_id, r.covered, r.rubric_total
             FROM review r JOIN card c ON c.id = r.card_id
             WHERE r.covered IS NOT NULL AND r.repeat = 0 AND c.retired = 0{since_cond}{cond}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        let mut covered: Vec<u32> = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let (card, json, total) =
                (|| Ok::<_, rusqlite::Error>((r.get(0)?, text(r, 1)?, r.get::<_, i64>(2)?)))()
                    .map_err(|e| self.err(e))?;
            self.parse_covered(json, &mut covered)?;
            f(CardKey(card), &covered, u32::try_from(total).unwrap_or(0));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionKind;
    use crate::store::{NewReview, RubricPoints};
    use chrono::{Local, TimeZone};

    #[test]
    fn checklist_answers_without_repeats_or_other_answers() {
        let mut store = Store::open_in_memory().unwrap();
        let deck = crate::import::parse_toml(
            "r.toml",
            "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"t\"\nname = \"T\"\n\
             [[card]]\nid = \"r\"\nkind = \"recall\"\ntopic = \"t\"\nprompt = \"P?\"\nanswer = \"A.\"\n\
             rubric = [\"one\", \"two\", \"three\"]\n",
        )
        .unwrap();
        let now = Local.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        store.import(&[(&deck, "r.toml")], now, false).unwrap();
        let card = store.new_cards(&Filter::default(), 1).unwrap()[0];
        let day = StudyDay::parse("2026-03-01").unwrap();
        let session = store.begin_session(SessionKind::Study, now, day).unwrap();
        for (repeat, rubric) in [
            (
                false,
                Some(RubricPoints {
                    covered: &[1, 3],
                    total: 3,
                }),
            ),
            (
                true,
                Some(RubricPoints {
                    covered: &[1],
                    total: 3,
                }),
            ),
            (false, None),
        ] {
            let q = crate::sched::Quality::HESITANT;
            let review = NewReview {
                card,
                session,
                at: now,
                day,
                repeat,
                chosen: None,
                correct: true,
                quality: q,
                elapsed_ms: 1,
                rubric,
                answer_text: None,
            };
            store
                .record_answer(&review, |p| crate::sched::grade(p, q, day))
                .unwrap();
        }
        let mut seen = Vec::new();
        store
            .each_checklist(&Filter::default(), None, |k, covered, total| {
                seen.push((k, covered.to_vec(), total));
            })
            .unwrap();
        assert_eq!(seen, [(card, vec![1, 3], 3)]);
        let mut later = 0;
        store
            .each_checklist(&Filter::default(), Some(day.plus(1)), |_, _, _| later += 1)
            .unwrap();
        assert_eq!(later, 0, "--days leaves older answers out");
        let plan: Vec<String> = store
            .conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT r.card_id, r.covered, r.rubric_total
                 FROM review r JOIN card c ON c.id = r.card_id
                 WHERE r.covered IS NOT NULL AND r.repeat = 0 AND c.retired = 0",
            )
            .unwrap()
            .query_map([], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter().any(|p| p.contains("review_checklist")),
            "{plan:?}"
        );
    }
}
