//! The formats read whole: the native TOML ([`toml`]) and its JSON twin ([`json`]),
//! each parsed into one [`node::Node`] tree that keeps every value's `line:column`, so
//! that one validator checks both and names the place of every problem.

pub mod json;
pub mod node;
pub mod toml;
