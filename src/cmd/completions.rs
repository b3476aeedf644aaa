//! `mlsec completions SHELL`: the files in `completions/` are this command's output.

use std::io::Write;

use clap_complete::Shell;

use crate::error::Result;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: Args) -> Result<()> {
    // clap_complete panics when its writer fails (stdout closed or on a full disk), so
    // the script is built in memory and written here, where a failure is an error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut crate::cli::command(), "mlsec", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)
        .and_then(|()| out.flush())
        .map_err(output::stdout_error)
}
