//! `mlsec completions SHELL`: the files in `completions/` are this command's output.

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
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut crate::cli::command(), "mlsec", &mut out);
    std::io::Write::flush(&mut out).map_err(output::stdout_error)
}
