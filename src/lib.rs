//! mlsec: a terminal trainer for ML Security Engineer interviews.
//!
//! The binary is a thin shell over [`main`]; everything else is library code so that
//! tests and tools can drive it.

pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod deck;
pub mod error;
pub mod importer;
pub mod output;
pub mod report;
pub mod rng;
pub mod sched;
pub mod session;
pub mod store;
pub mod text;
pub mod ui;

use std::process::ExitCode;

use clap::Parser;

use error::Error;

/// Set while an interactive session owns the terminal: Ctrl-C then reaches the session
/// as an error from the key read (console raises SIGINT and returns `Interrupted`), so
/// it can print its summary and exit 130 itself.
pub static INTERACTIVE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Outside an interactive prompt, Ctrl-C ends the process at once, with the cursor
/// shown again. Every acknowledged answer is already committed, and SQLite rolls back
/// an unfinished transaction, so nothing is lost or half-written.
fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if !INTERACTIVE.load(std::sync::atomic::Ordering::SeqCst) {
            let _ = console::Term::stdout().show_cursor();
            let _ = console::Term::stderr().show_cursor();
            std::process::exit(130);
        }
    });
}

/// Run the command line and turn the outcome into an exit code: 0 success, 1 runtime or
/// data error, 2 usage error, 130 interrupted.
pub fn main() -> ExitCode {
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
        eprintln!(
            "mlsec: warning: ignoring unknown environment variable {name} (known: {})",
            config::ENV_VARS.join(", ")
        );
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
            eprintln!("mlsec: error: {message}");
            ExitCode::from(2)
        }
        Err(e) => {
            if let Error::Content(diags) = &e {
                for line in error::diagnostic_lines(diags) {
                    eprintln!("{line}");
                }
            }
            eprintln!("mlsec: error: {e}");
            ExitCode::FAILURE
        }
    }
}
