//! The structure drill's question: the attack vector of a card, read from its tags.
//!
//! The deck's tag vocabulary has a phase (`training-time`, `inference-time`,
//! `deployment`) and an attacker's knowledge (`white-box`, `black-box`). A card about one
//! attack carries exactly one of each that applies; a card about many (a taxonomy) carries
//! several, and is not drilled on that axis. The drill asks training-time versus
//! inference-time (the deck's framework step 1), so a card whose only phase is
//! `deployment` is not asked its phase.

use std::fmt;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    TrainingTime,
    InferenceTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Knowledge {
    WhiteBox,
    BlackBox,
}

impl Phase {
    const ALL: [Phase; 2] = [Phase::TrainingTime, Phase::InferenceTime];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::TrainingTime => "training-time",
            Phase::InferenceTime => "inference-time",
        }
    }
}

impl Knowledge {
    const ALL: [Knowledge; 2] = [Knowledge::WhiteBox, Knowledge::BlackBox];

    pub fn as_str(self) -> &'static str {
        match self {
            Knowledge::WhiteBox => "white-box",
            Knowledge::BlackBox => "black-box",
        }
    }
}

/// What the drill asks of one card: its phase, its attacker's knowledge, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Vector {
    pub phase: Option<Phase>,
    pub knowledge: Option<Knowledge>,
}

impl Vector {
    /// The vector a card's tags give, or `None` when they give neither axis exactly.
    pub fn of_tags(tags: &[String]) -> Option<Vector> {
        let has = |t: &str| tags.iter().any(|x| x == t);
        let phases = ["training-time", "inference-time", "deployment"]
            .iter()
            .filter(|t| has(t))
            .count();
        let phase = if phases == 1 {
            Phase::ALL.into_iter().find(|p| has(p.as_str()))
        } else {
            None
        };
        let knowledge = match (has("white-box"), has("black-box")) {
            (true, false) => Some(Knowledge::WhiteBox),
            (false, true) => Some(Knowledge::BlackBox),
            _ => None,
        };
        (phase.is_some() || knowledge.is_some()).then_some(Vector { phase, knowledge })
    }

    /// Every vector of the same shape, in a fixed order (training before inference,
    /// white-box before black-box): the choices of the drill. Fixed, because these are
    /// labels to classify with, not answers whose position could be learnt.
    pub fn choices(self) -> Vec<Vector> {
        let phases: Vec<Option<Phase>> = match self.phase {
            Some(_) => Phase::ALL.into_iter().map(Some).collect(),
            None => vec![None],
        };
        let knowledge: Vec<Option<Knowledge>> = match self.knowledge {
            Some(_) => Knowledge::ALL.into_iter().map(Some).collect(),
            None => vec![None],
        };
        phases
            .iter()
            .flat_map(|&phase| {
                knowledge
                    .iter()
                    .map(move |&knowledge| Vector { phase, knowledge })
            })
            .collect()
    }

    /// What the drill asks, for the prompt: "phase and attacker knowledge".
    pub fn asks(self) -> &'static str {
        match (self.phase, self.knowledge) {
            (Some(_), Some(_)) => "training-time or inference-time, white-box or black-box",
            (Some(_), None) => "training-time or inference-time",
            _ => "white-box or black-box",
        }
    }
}

/// "inference-time, black-box", "training-time", "white-box".
impl fmt::Display for Vector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self
            .phase
            .map(Phase::as_str)
            .into_iter()
            .chain(self.knowledge.map(Knowledge::as_str))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_phase_and_one_knowledge_tag_give_both_axes() {
        let v = Vector::of_tags(&tags(&["inference-time", "black-box", "defend"])).unwrap();
        assert_eq!(v.to_string(), "inference-time, black-box");
        let labels: Vec<String> = v.choices().iter().map(ToString::to_string).collect();
        assert_eq!(
            labels,
            [
                "training-time, white-box",
                "training-time, black-box",
                "inference-time, white-box",
                "inference-time, black-box"
            ]
        );
    }

    #[test]
    fn an_axis_with_several_tags_is_not_asked() {
        let v = Vector::of_tags(&tags(&["inference-time", "white-box", "black-box"])).unwrap();
        assert_eq!(v.to_string(), "inference-time");
        assert_eq!(v.choices().len(), 2);
        let v = Vector::of_tags(&tags(&["training-time", "deployment", "white-box"])).unwrap();
        assert_eq!(
            v.to_string(),
            "white-box",
            "two phases: only knowledge asked"
        );
        assert_eq!(
            Vector::of_tags(&tags(&["training-time", "inference-time", "classify"])),
            None
        );
        assert_eq!(
            Vector::of_tags(&tags(&["deployment", "govern"])),
            None,
            "deployment is not a choice of the drill"
        );
    }
}
