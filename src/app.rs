//! The process around the library: the exit code of each outcome, Ctrl-C, the flags a
//! session and the Ctrl-C handler share, and messages on stderr. [`main`] is what the
//! binary runs (re-exported as `mlsec::main`).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

use crate::error::{self, Error};
use crate::{cli, cmd, config, text};

/// Set while an interactive session owns the terminal. Ctrl-C then usually reaches the
/// session as an error from a raw-mode key read (console raises SIGINT and returns
/// `Interrupted`), and the session prints its summary and exits 130 itself.
pub static INTERACTIVE: AtomicBool = AtomicBool::new(false);

/// Set by the session when it has seen the interruption and is winding down.
pub static INTERRUPT_SEEN: AtomicBool = AtomicBool::new(false);

/// Ctrl-C ends the process with the cursor shown again. Every acknowledged answer is
/// already committed and SQLite rolls back an unfinished transaction, so exiting at any
/// moment loses nothing. In a session, the session gets a moment to stop by itself; a
/// Ctrl-C that arrived between two key reads (so no read saw it) ends the process here.
fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if INTERACTIVE.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if INTERRUPT_SEEN.load(Ordering::SeqCst) {
                return;
            }
            let _ = console::Term::stdout().show_cursor();
            say("\nStopped; your answers are saved.");
        } else {
            let _ = console::Term::stdout().show_cursor();
            let _ = console::Term::stderr().show_cursor();
        }
        std::process::exit(130);
    });
}

/// Run the command line and turn the outcome into an exit code: 0 success, 1 runtime or
/// data error, 2 usage error, 130 interrupted.
pub fn main() -> ExitCode {
    if let Err(e) = config::check_env_encoding() {
        say(&format!("mlsec: error: {e}"));
        return ExitCode::from(2);
    }
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    install_interrupt_handler();
    for name in config::unknown_env_vars() {
        say(&format!(
            "mlsec: warning: ignoring unknown environment variable {name} (known: {})",
            config::ENV_VARS.join(", ")
        ));
    }
    match cmd::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Interrupted) => {
            let _ = console::Term::stdout().show_cursor();
            ExitCode::from(130)
        }
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(Error::Usage(message)) => {
            say(&format!("mlsec: error: {message}"));
            ExitCode::from(2)
        }
        Err(e) => {
            if let Error::Content(diags) = &e {
                for line in error::diagnostic_lines(diags) {
                    say(&line);
                }
            }
            say(&format!("mlsec: error: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// One line on stderr. Messages quote deck text, file names and environment variables,
/// which anyone can fill with escape sequences, so they pass through
/// [`crate::text::for_terminal`]. A stderr that cannot be written (closed, a full disk) is
/// ignored: `eprintln!` would panic there and turn a clean exit 1 into 101.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{}", text::for_terminal(line));
}
