//! Terminal helpers for commands that are not sessions: a progress bar for long work
//! and a yes/no question, both on stderr so that stdout stays data.

use std::io::IsTerminal;

use console::Term;
use dialoguer::Confirm;
use dialoguer::theme::ColorfulTheme;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::{Error, Result};

/// Can we draw on stderr and read a key from the learner?
pub fn can_ask() -> bool {
    Term::stderr().is_term() && std::io::stdin().is_terminal()
}

/// Ask a yes/no question on stderr; `false` unless the answer is yes.
pub fn confirm(prompt: &str) -> Result<bool> {
    Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(prompt)
        .default(false)
        .interact_on(&Term::stderr())
        .map_err(|dialoguer::Error::IO(e)| Error::Io {
            path: "<terminal>".into(),
            source: e,
        })
}

/// A progress bar on stderr, drawn only when stderr is a terminal, output is not JSON
/// and the work is large enough to take more than a moment.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `len` bytes, shown when `enabled`, stderr is a terminal and `len`
    /// reaches `threshold`.
    pub fn new(enabled: bool, len: u64, threshold: u64, message: &str) -> Progress {
        if !enabled || len < threshold || !Term::stderr().is_term() {
            return Progress { bar: None };
        }
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_message(message.to_string());
        Progress { bar: Some(bar) }
    }

    pub fn set(&self, pos: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(pos);
        }
    }

    /// Remove the bar: the command's own summary follows.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
