//! One module per subcommand: argument structs and glue, nothing else.

pub mod completions;
pub mod dashboard;
pub mod export;
pub mod import;
pub mod man;
pub mod mock;
pub mod plan;
pub mod review;
pub mod stats;
pub mod study;

use crate::cli::{AnswerArgs, Cli, Command, FilterArgs, OrderArgs, TypeArgs};
use crate::config::{self, Context};
use crate::error::{Error, Result};
use crate::session::{self, SessionKind, jsonl::JsonLines, term::Terminal};

pub fn dispatch(cli: Cli) -> Result<()> {
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        None => dashboard::run(&ctx),
        Some(Command::Study(args)) => study::run(&ctx, args),
        Some(Command::Review(args)) => review::run(&ctx, args),
        Some(Command::Mock(args)) => mock::run(&ctx, args),
        Some(Command::Plan(args)) => plan::run(&ctx, args),
        Some(Command::Stats(args)) => stats::run(&ctx, args),
        Some(Command::Import(args)) => import::run(&ctx, args),
        Some(Command::Export(args)) => export::run(&ctx, args),
        Some(Command::Completions(args)) => completions::run(args),
        Some(Command::Man(args)) => man::run(args),
    }
}

/// The glue shared by `study` and `review`.
fn run_session(
    ctx: &Context,
    mode: SessionKind,
    filter: &FilterArgs,
    limit: Option<usize>,
    order: &OrderArgs,
    new_per_day: usize,
    answers: &AnswerArgs,
) -> Result<()> {
    if !ctx.json && !session::term::available() {
        return Err(Error::Usage(format!(
            "`mlsec {}` is interactive and needs a terminal; to script it, pass --json and answer on stdin",
            mode.as_str()
        )));
    }
    check_typing(ctx, &answers.typing)?;
    let mut store = ctx.open_store()?;
    let opts = session::Options {
        mode,
        filter: config::resolve_filter(&store, filter)?,
        limit,
        new_per_day,
        plan: crate::plan::session_share(&store, ctx.clock.today(), new_per_day)?,
        order: config::order(order),
        confidence: answers.confidence,
        type_answer: answers.typing.type_answer,
    };
    if ctx.json {
        let mut prompter = JsonLines::new(std::io::stdin().lock(), std::io::stdout().lock());
        session::run(&mut store, &ctx.clock, opts, &mut prompter)?;
    } else {
        let mut prompter = Terminal::new();
        session::run(&mut store, &ctx.clock, opts, &mut prompter)?;
    }
    Ok(())
}

/// `--type` is the terminal's way to keep an answer's words; a script sends them as
/// `"text"` in an answer object instead, so the two are not mixed up.
fn check_typing(ctx: &Context, typing: &TypeArgs) -> Result<()> {
    if ctx.json && typing.type_answer {
        return Err(Error::Usage(
            "--type asks for typed answers in the terminal; under --json send the words in the answer line instead, e.g. {\"grade\":4,\"text\":\"…\"}".into(),
        ));
    }
    Ok(())
}
