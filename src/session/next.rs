//! What to run next: one answer for the dashboard, the end of a study or review session
//! and `mlsec stats`, so that all three name the same command for the same state
//! (issue 15). It asks the queries the sessions themselves run on: `mlsec review` while
//! cards are due, missed cards wait for their same-day repeat, or an interview's final
//! pass has cards left (review serves all three); otherwise `mlsec study` when a study
//! session would find a new card; otherwise nothing today.

use serde::Serialize;

use super::{PlanShare, new_queue};
use crate::clock::StudyDay;
use crate::error::Result;
use crate::store::{Filter, Store};

/// The command to run next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Next {
    #[serde(rename = "mlsec review")]
    Review,
    #[serde(rename = "mlsec study")]
    Study,
}

impl Next {
    pub fn command(self) -> &'static str {
        match self {
            Next::Review => "mlsec review",
            Next::Study => "mlsec study",
        }
    }
}

/// What to run next on `day` for the cards of `filter`, with the plan's share of a
/// session (if a plan applies) and the daily new-card limit a study would use.
/// `review_waiting`: cards of the filter are due or wait for their same-day repeat, which
/// every caller has counted already.
pub fn what_next(
    store: &Store,
    filter: &Filter,
    plan: Option<&PlanShare>,
    new_per_day: usize,
    day: StudyDay,
    review_waiting: bool,
) -> Result<Option<Next>> {
    if review_waiting {
        return Ok(Some(Next::Review));
    }
    if let Some((scope, pass)) = plan.and_then(|p| Some((filter.and(&p.scope), p.final_pass?))) {
        if store.count_final_pass(&scope, pass.from, pass.interview)? > 0 {
            return Ok(Some(Next::Review));
        }
    }
    let study = new_queue(store, filter, plan, new_per_day, Some(1), day)?;
    Ok((!study.is_empty()).then_some(Next::Study))
}
