//! Integration tests: the real binary on a temporary database.

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod answers;
mod args;
mod completions;
mod concurrency;
mod contract;
mod crash;
mod dashboard;
mod docs;
mod env;
mod export;
mod export_stream;
mod files;
mod formats;
mod hostile;
mod import;
mod mock;
mod plan;
mod pty;
mod schema;
mod session;
mod stats;
mod store;
