//! `mlsec man [COMMAND]`: the manual pages, generated from the command line; the files in
//! `man/` are this command's output.

use std::io::Write;

use crate::error::{Error, Result};
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The command whose page to print (study, review, …); without one, mlsec's own
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let io = |e| Error::Io {
        path: "<manual page>".into(),
        source: e,
    };
    let pages = crate::cli::man_pages().map_err(io)?;
    let wanted = match &args.command {
        Some(c) => format!("mlsec-{c}.1"),
        None => "mlsec.1".to_string(),
    };
    let Some((_, page)) = pages.iter().find(|(name, _)| *name == wanted) else {
        let commands: Vec<&str> = pages
            .iter()
            .filter_map(|(name, _)| name.strip_prefix("mlsec-")?.strip_suffix(".1"))
            .collect();
        return Err(Error::Usage(format!(
            "no manual page for {:?}; pages exist for: {}",
            args.command.unwrap_or_default(),
            commands.join(", ")
        )));
    };
    let mut out = std::io::stdout().lock();
    out.write_all(page)
        .and_then(|()| out.flush())
        .map_err(output::stdout_error)
}
