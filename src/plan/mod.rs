//! `mlsec plan`: prepare for an interview on a date (issue 14), without bending SM-2.
//!
//! So far the arithmetic alone ([`pace`]): the days left, the daily pace of new cards
//! that introduces every card of the plan's scope by the third day before the
//! interview, and the final pass's two days.

pub mod pace;
