//! The documentation keeps its promises (issue 15): every `mlsec …` command shown in a
//! fenced code block of README.md and docs/*.md parses with the real command line, and
//! the cheap, non-interactive ones run on a temporary database; every TOML deck shown
//! imports; the README stays a newcomer's page and shows every command; and every
//! relative link leads to a file that exists (with an anchor, to a heading in it).
//!
//! The shell in code blocks is read as a reader would run it: comments, quotes, `\`
//! continuations, pipes, redirections, `VAR=value` prefixes, `cargo run -- …` for mlsec,
//! and `printf … |` (or a file `printf` wrote) feeding a session its answers.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::env::{TestEnv, events, of};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The README is a newcomer's page: at most 12 KB.
const README_MAX_BYTES: usize = 12 * 1024;

/// `path` with its `.` and `..` components resolved, without asking the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A Markdown page: its path from the repository root and its text.
struct Page {
    name: String,
    text: String,
}

/// README.md and every page of docs/, in a stable order.
fn pages() -> Vec<Page> {
    let mut names = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("docs/ exists")
        .map(|e| {
            e.expect("a docs/ entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    names.extend(docs);
    names
        .into_iter()
        .map(|name| Page {
            text: std::fs::read_to_string(Path::new(ROOT).join(&name))
                .unwrap_or_else(|e| panic!("{name}: {e}")),
            name,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Markdown: fenced code blocks, headings, links.

/// A fenced code block: its info string's first word and its lines.
struct Block {
    lang: String,
    /// The line number (from 1) of its first line of content.
    line: usize,
    text: String,
}

/// The fenced code blocks of `text` (``` or ~~~, closed by a fence of the same character
/// at least as long; an unclosed block runs to the end).
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize, Block)> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let fence = ['`', '~']
            .into_iter()
            .find(|&c| trimmed.starts_with(&c.to_string().repeat(3)));
        match (&mut open, fence) {
            (None, Some(c)) => {
                let len = trimmed.chars().take_while(|&x| x == c).count();
                let lang = trimmed[len..].split_whitespace().next().unwrap_or("");
                let block = Block {
                    lang: lang.to_string(),
                    line: n + 2,
                    text: String::new(),
                };
                open = Some((c, len, block));
            }
            (Some((c, len, _)), Some(f))
                if f == *c
                    && trimmed.chars().take_while(|&x| x == f).count() >= *len
                    && trimmed.trim_start_matches(f).trim().is_empty() =>
            {
                let (_, _, block) = open.take().expect("an open block");
                out.push(block);
            }
            (Some((_, _, block)), _) => {
                block.text.push_str(line);
                block.text.push('\n');
            }
            (None, None) => {}
        }
    }
    out.extend(open.map(|(_, _, b)| b));
    out
}

/// `text` with its fenced code blocks and inline code spans blanked out (line breaks
/// kept), so that links and headings are only looked for in prose.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let f = ['`', '~']
            .into_iter()
            .find(|&c| trimmed.starts_with(&c.to_string().repeat(3)));
        match (fence, f) {
            (None, Some(c)) => fence = Some((c, trimmed.chars().take_while(|&x| x == c).count())),
            (Some((c, len)), Some(f))
                if f == c && trimmed.chars().take_while(|&x| x == f).count() >= len =>
            {
                fence = None
            }
            (None, None) => out.push_str(&without_code_spans(line)),
            _ => {}
        }
        out.push('\n');
    }
    out
}

/// A line with its inline code spans removed.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        match after.find(&"`".repeat(ticks)) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The anchors GitHub gives the headings of a page: lower case, letters, digits, `-` and
/// `_` kept, spaces made `-`, everything else dropped; a repeated anchor gets `-1`, `-2`.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = HashSet::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fence = !fence;
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if fence || !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let title = line[hashes..].trim().trim_end_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                '-' | '_' => Some(c),
                c if c.is_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let n = seen.entry(slug.clone()).or_insert(0);
        out.insert(if *n == 0 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        });
        *n += 1;
    }
    out
}

/// The link targets in the prose of `text`, with their line numbers: inline links and
/// images `[text](target "title")` and reference definitions `[label]: target`.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in prose(text).lines().enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let end = after.find(')').unwrap_or(after.len());
            let target = after[..end].split_whitespace().next().unwrap_or("");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            out.push((n + 1, target.to_string()));
            rest = &after[end..];
        }
        let t = line.trim_start();
        if t.starts_with('[') {
            if let Some(i) = t.find("]: ") {
                let target = t[i + 3..].split_whitespace().next().unwrap_or("");
                out.push((n + 1, target.to_string()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Shell: commands as a reader would run them.

/// One simple command of a pipeline.
#[derive(Clone, Debug, Default, PartialEq)]
struct Cmd {
    words: Vec<String>,
    /// `< FILE`
    stdin_from: Option<String>,
    /// `> FILE` or `>> FILE`
    stdout_to: Option<String>,
    /// A word uses an expansion (`$…`, backquotes, a heredoc) that a test cannot follow.
    dynamic: bool,
}

/// Where the next word goes.
#[derive(Clone, Copy, PartialEq)]
enum Next {
    Word,
    Stdin,
    Stdout,
    /// A redirection of another descriptor (`2> FILE`): its target is dropped.
    Ignored,
}

/// The pipelines of a shell snippet, each with the line (in the snippet, from 0) it
/// starts on. Lists (`;`, `&&`, `||`, `&`) become separate pipelines; a line ending in
/// `|`, `&&` or `||` goes on on the next one, as does a line ending in `\`.
fn pipelines(script: &str) -> Vec<(usize, Vec<Cmd>)> {
    struct Lexer {
        out: Vec<(usize, Vec<Cmd>)>,
        pipeline: Vec<Cmd>,
        cmd: Cmd,
        word: String,
        in_word: bool,
        next: Next,
        line: usize,
        start: usize,
        /// The last token was `|`, `&&` or `||`: a line break does not end the pipeline.
        open: bool,
    }
    impl Lexer {
        fn word(&mut self) {
            if !self.in_word {
                return;
            }
            let w = std::mem::take(&mut self.word);
            match self.next {
                Next::Word => {
                    if self.cmd.words.is_empty() && self.pipeline.is_empty() {
                        self.start = self.line;
                    }
                    self.cmd.words.push(w);
                }
                Next::Stdin => self.cmd.stdin_from = Some(w),
                Next::Stdout => self.cmd.stdout_to = Some(w),
                Next::Ignored => {}
            }
            self.next = Next::Word;
            self.in_word = false;
            self.open = false;
        }
        fn cmd(&mut self) {
            self.word();
            let cmd = std::mem::take(&mut self.cmd);
            if !cmd.words.is_empty() {
                self.pipeline.push(cmd);
            }
        }
        fn pipeline(&mut self) {
            self.cmd();
            let p = std::mem::take(&mut self.pipeline);
            if !p.is_empty() {
                self.out.push((self.start, p));
            }
        }
        /// A redirection operator: a word of digits just before it names the descriptor.
        fn redirect(&mut self, to_stdout: bool) {
            let fd = if self.in_word && self.word.chars().all(|c| c.is_ascii_digit()) {
                let fd = std::mem::take(&mut self.word);
                self.in_word = false;
                Some(fd)
            } else {
                self.word();
                None
            };
            self.next = match (to_stdout, fd.as_deref()) {
                (false, None | Some("0")) => Next::Stdin,
                (true, None | Some("1")) => Next::Stdout,
                _ => Next::Ignored,
            };
        }
    }
    let mut lx = Lexer {
        out: Vec::new(),
        pipeline: Vec::new(),
        cmd: Cmd::default(),
        word: String::new(),
        in_word: false,
        next: Next::Word,
        line: 0,
        start: 0,
        open: false,
    };
    let chars: Vec<char> = script.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let peek = chars.get(i + 1).copied();
        match c {
            '\\' if peek == Some('\n') => {
                i += 1;
                lx.line += 1;
            }
            '\\' => {
                if let Some(p) = peek {
                    lx.word.push(p);
                    i += 1;
                }
                lx.in_word = true;
            }
            '\'' => {
                lx.in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    lx.line += usize::from(chars[i] == '\n');
                    lx.word.push(chars[i]);
                    i += 1;
                }
            }
            '"' => {
                lx.in_word = true;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' if matches!(chars.get(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            i += 1;
                            lx.word.push(chars[i]);
                        }
                        '$' | '`' => {
                            lx.cmd.dynamic = true;
                            lx.word.push(chars[i]);
                        }
                        ch => {
                            lx.line += usize::from(ch == '\n');
                            lx.word.push(ch);
                        }
                    }
                    i += 1;
                }
            }
            '#' if !lx.in_word => {
                while i + 1 < chars.len() && chars[i + 1] != '\n' {
                    i += 1;
                }
            }
            ' ' | '\t' => lx.word(),
            '\n' => {
                lx.word();
                lx.line += 1;
                if !lx.open {
                    lx.pipeline();
                }
            }
            '|' if peek == Some('|') => {
                lx.pipeline();
                lx.open = true;
                i += 1;
            }
            '|' => {
                lx.cmd();
                lx.open = true;
            }
            '&' if peek == Some('&') => {
                lx.pipeline();
                lx.open = true;
                i += 1;
            }
            '&' if peek == Some('>') => {
                lx.word();
                lx.next = Next::Stdout;
                i += 1;
            }
            '&' | ';' => lx.pipeline(),
            '<' if peek == Some('<') => {
                lx.cmd.dynamic = true;
                lx.word();
                i += 1;
            }
            '<' => lx.redirect(false),
            '>' => {
                lx.redirect(true);
                if peek == Some('>') {
                    i += 1;
                }
                if chars.get(i + 1) == Some(&'&') {
                    // `2>&1`: a descriptor, not a file.
                    i += 1;
                    while chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                    lx.next = Next::Word;
                }
            }
            '$' | '`' => {
                lx.cmd.dynamic = true;
                lx.in_word = true;
                lx.word.push(c);
            }
            _ => {
                lx.in_word = true;
                lx.word.push(c);
            }
        }
        i += 1;
    }
    lx.pipeline();
    lx.out
}

/// What `printf FORMAT ARGS…` prints, for the formats docs use: `%s`, `%%` and the
/// escapes `\n`, `\t`, `\\`; the format is reused while arguments remain.
fn printf(words: &[String]) -> String {
    let Some((format, args)) = words.split_first() else {
        return String::new();
    };
    let mut args = args.iter();
    let mut out = String::new();
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().copied()) {
                ('\\', Some('n')) => {
                    out.push('\n');
                    chars.next();
                }
                ('\\', Some('t')) => {
                    out.push('\t');
                    chars.next();
                }
                ('\\', Some('\\')) => {
                    out.push('\\');
                    chars.next();
                }
                ('%', Some('%')) => {
                    out.push('%');
                    chars.next();
                }
                ('%', Some('s')) => {
                    used = true;
                    out.push_str(args.next().map_or("", String::as_str));
                    chars.next();
                }
                (c, _) => out.push(c),
            }
        }
        if !used || args.len() == 0 {
            return out;
        }
    }
}

/// Where a session's answers come from.
#[derive(Clone, Debug, PartialEq)]
enum Stdin {
    /// Nothing: mlsec starts the pipeline and reads no file.
    Empty,
    /// Known text: `printf … |`, or `< FILE` that `printf … > FILE` wrote earlier.
    Text(String),
    /// Something the test cannot reproduce (another program, a file it did not see written).
    Unknown,
}

/// One `mlsec …` command shown in the docs.
#[derive(Clone, Debug)]
struct Example {
    /// `page:line`
    place: String,
    /// The arguments after `mlsec`.
    args: Vec<String>,
    /// `VAR=value` prefixes.
    vars: Vec<(String, String)>,
    stdin: Stdin,
    dynamic: bool,
}

impl Example {
    fn shown(&self) -> String {
        let vars: Vec<String> = self.vars.iter().map(|(k, v)| format!("{k}={v} ")).collect();
        format!("{}mlsec {}", vars.concat(), self.args.join(" "))
    }
}

/// Shell keywords that may start a command before the program's name.
const KEYWORDS: [&str; 6] = ["do", "then", "else", "time", "exec", "!"];

/// The `mlsec …` commands of a shell snippet (also `cargo run [OPTIONS] -- …`).
fn examples_in(script: &str, page: &str, first_line: usize) -> Vec<Example> {
    let mut out = Vec::new();
    let mut written: HashMap<String, String> = HashMap::new();
    for (line, pipeline) in pipelines(script) {
        for (k, cmd) in pipeline.iter().enumerate() {
            let mut words = cmd.words.as_slice();
            while words
                .first()
                .is_some_and(|w| KEYWORDS.contains(&w.as_str()))
            {
                words = &words[1..];
            }
            let mut vars = Vec::new();
            while let Some((k, v)) = words.first().and_then(|w| assignment(w)) {
                vars.push((k, v));
                words = &words[1..];
            }
            let Some(program) = words.first() else {
                continue;
            };
            if program == "printf" && k + 1 == pipeline.len() {
                if let Some(file) = &cmd.stdout_to {
                    written.insert(file.clone(), printf(&words[1..]));
                }
                continue;
            }
            let args = match program.as_str() {
                "mlsec" => &words[1..],
                "cargo" if words.get(1).is_some_and(|w| w == "run") => {
                    match words.iter().position(|w| w == "--") {
                        Some(dash) => &words[dash + 1..],
                        None => &words[words.len()..],
                    }
                }
                _ => continue,
            };
            let stdin = match (&cmd.stdin_from, k.checked_sub(1).map(|p| &pipeline[p])) {
                (Some(file), _) => written
                    .get(file)
                    .map_or(Stdin::Unknown, |t| Stdin::Text(t.clone())),
                (None, None) => Stdin::Empty,
                (None, Some(prev)) if prev.words.first().is_some_and(|w| w == "printf") => {
                    Stdin::Text(printf(&prev.words[1..]))
                }
                (None, Some(_)) => Stdin::Unknown,
            };
            out.push(Example {
                place: format!("{page}:{}", first_line + line),
                args: args.to_vec(),
                vars,
                stdin,
                dynamic: cmd.dynamic,
            });
        }
    }
    out
}

/// `NAME=value` as a variable assignment.
fn assignment(word: &str) -> Option<(String, String)> {
    let (name, value) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then(|| (name.to_string(), value.to_string()))
}

/// Code blocks that hold shell commands (untagged blocks too).
const SHELL: [&str; 6] = ["sh", "bash", "shell", "console", "zsh", ""];

/// Every example of every page.
fn examples(pages: &[Page]) -> Vec<Example> {
    pages
        .iter()
        .flat_map(|p| {
            blocks(&p.text)
                .into_iter()
                .filter(|b| SHELL.contains(&b.lang.as_str()))
                .flat_map(|b| examples_in(&b.text, &p.name, b.line))
                .collect::<Vec<_>>()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Parsing and running.

/// The example parsed by the real command line: its subcommand (`None` for the
/// dashboard), or `Err` with clap's message. `--help` and `--version` parse as `help`.
fn parse(args: &[String]) -> Result<Option<(String, clap::ArgMatches)>, String> {
    let argv = std::iter::once("mlsec".to_string()).chain(args.iter().cloned());
    match mlsec::cli::command().try_get_matches_from(argv) {
        Ok(m) => Ok(Some(match m.subcommand() {
            Some((name, sub)) => (name.to_string(), sub.clone()),
            None => (String::new(), m),
        })),
        Err(e) => match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                Ok(None)
            }
            _ => Err(e.render().to_string()),
        },
    }
}

/// Commands that neither wait for a person nor need anything but the database.
const CHEAP: [&str; 7] = [
    "",
    "stats",
    "plan",
    "export",
    "import",
    "completions",
    "man",
];

/// Sessions, which run when their answers are known.
const SESSIONS: [&str; 3] = ["study", "review", "mock"];

/// Why an example is only parsed, or `None` when it can run on a temporary database.
fn why_not_run(ex: &Example, name: &str, matches: &clap::ArgMatches) -> Option<&'static str> {
    let uses = |flag: &str| {
        ex.args
            .iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    if ex.dynamic {
        return Some("it uses a shell expansion");
    }
    if uses("--db") || ex.vars.iter().any(|(k, _)| k == "MLSEC_DB") {
        return Some("it names its own database");
    }
    if SESSIONS.contains(&name) {
        if !uses("--json") {
            return Some("an interactive session");
        }
        if !matches!(ex.stdin, Stdin::Text(_)) {
            return Some("its answers come from elsewhere");
        }
    } else if !CHEAP.contains(&name) {
        return Some("not a cheap command");
    }
    if name == "import" {
        let files: Vec<&PathBuf> = matches
            .get_many::<PathBuf>("files")
            .map(Iterator::collect)
            .unwrap_or_default();
        if files
            .iter()
            .any(|f| f.is_absolute() || !Path::new(ROOT).join(f).is_file())
        {
            return Some("it imports a file the repository does not have");
        }
    }
    None
}

/// Run `ex` on a fresh database, from a directory holding copies of the repository
/// files it imports; `Err` says what went wrong.
fn run(ex: &Example, name: &str, matches: &clap::ArgMatches) -> Result<(), String> {
    let env = TestEnv::new();
    let dir = env.db.parent().expect("the env's directory").to_path_buf();
    if name == "import" {
        for f in matches.get_many::<PathBuf>("files").into_iter().flatten() {
            let to = dir.join(f);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("mkdir");
            std::fs::copy(Path::new(ROOT).join(f), &to).expect("copy a deck");
        }
    }
    let args: Vec<&str> = ex.args.iter().map(String::as_str).collect();
    let mut cmd = env.cmd(&args);
    cmd.current_dir(&dir)
        .envs(ex.vars.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn mlsec");
    let input = match &ex.stdin {
        Stdin::Text(t) => t.clone(),
        _ => String::new(),
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for mlsec");
    if !out.status.success() {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if SESSIONS.contains(&name) {
        let lines = events(&out.stdout);
        if let Some(e) = of(&lines, "error").first() {
            return Err(format!(
                "the session answered an error event: {}",
                e["message"]
            ));
        }
    }
    Ok(())
}

#[test]
fn every_command_in_the_docs_parses_and_the_cheap_ones_run() {
    let pages = pages();
    let examples = examples(&pages);
    let mut failures = Vec::new();
    let mut ran = 0;
    for ex in &examples {
        match parse(&ex.args) {
            Err(message) => failures.push(format!(
                "{}: `{}` does not parse:\n{message}",
                ex.place,
                ex.shown()
            )),
            Ok(None) => {}
            Ok(Some((name, matches))) => {
                if why_not_run(ex, &name, &matches).is_none() {
                    ran += 1;
                    if let Err(message) = run(ex, &name, &matches) {
                        failures.push(format!(
                            "{}: `{}` failed on a fresh database: {message}",
                            ex.place,
                            ex.shown()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documented commands are wrong (show a made-up command in prose, not in a \
         code block):\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n\n")
    );
    eprintln!(
        "{} documented commands parsed, {ran} of them run",
        examples.len()
    );
    // A reader that found nothing would pass everything: the docs show dozens.
    assert!(
        examples.len() >= 40 && ran >= 20,
        "only {} commands found and {ran} run: is the extractor broken?",
        examples.len()
    );
}

#[test]
fn the_readme_is_short_and_shows_every_command() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README");
    assert!(
        readme.len() <= README_MAX_BYTES,
        "README.md is {} bytes; a newcomer's page stays within {README_MAX_BYTES}: move \
         reference material to docs/",
        readme.len()
    );
    let page = Page {
        name: "README.md".into(),
        text: readme,
    };
    let shown: HashSet<String> = examples(std::slice::from_ref(&page))
        .iter()
        .filter_map(|ex| parse(&ex.args).ok().flatten().map(|(name, _)| name))
        .collect();
    let mut commands: Vec<String> = mlsec::cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    commands.push(String::new());
    let missing: Vec<String> = commands
        .iter()
        .filter(|c| !shown.contains(*c))
        .map(|c| format!("mlsec {c}").trim().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's tour has no example of: {}",
        missing.join(", ")
    );
}

#[test]
fn every_relative_link_leads_to_a_file_and_heading_that_exist() {
    let pages = pages();
    let mut anchors_of: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let here = Path::new(ROOT).join(&page.name);
        let dir = here.parent().expect("a page's directory").to_path_buf();
        for (line, target) in links(&page.text) {
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                here.clone()
            } else {
                normalize(&dir.join(path))
            };
            if !file.exists() {
                failures.push(format!("{}:{line}: {target}: no such file", page.name));
                continue;
            }
            let Some(anchor) = anchor.filter(|a| !a.is_empty()) else {
                continue;
            };
            if file.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let known = anchors_of.entry(file.clone()).or_insert_with(|| {
                anchors(&std::fs::read_to_string(&file).expect("read a linked page"))
            });
            if !known.contains(anchor) {
                failures.push(format!("{}:{line}: {target}: no such heading", page.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "broken links:\n{}",
        failures.join("\n")
    );
    assert!(
        checked >= 30,
        "only {checked} links found: is the reader broken?"
    );
}

#[test]
fn every_deck_shown_in_the_docs_imports() {
    let mut decks = 0;
    for page in pages() {
        for block in blocks(&page.text) {
            if block.lang != "toml" || !block.text.contains("[deck]") {
                continue;
            }
            decks += 1;
            let env = TestEnv::new();
            let file = env.file("deck.toml", &block.text);
            let out = env.run(
                &["import", "--dry-run", file.to_str().expect("a UTF-8 path")],
                "",
            );
            assert!(
                out.status.success(),
                "{}:{}: the deck shown does not import:\n{}",
                page.name,
                block.line,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert!(decks >= 1, "docs/decks.md shows a deck");
}

// ---------------------------------------------------------------------------------------
// The readers themselves.

fn words(script: &str) -> Vec<Vec<Vec<String>>> {
    pipelines(script)
        .into_iter()
        .map(|(_, p)| p.into_iter().map(|c| c.words).collect())
        .collect()
}

#[test]
fn shell_is_read_as_a_shell_would() {
    let w = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // Comments, quotes and continuations.
    assert_eq!(
        words("mlsec stats --topic 'a b' \\\n  --days 7   # the last week\n"),
        vec![vec![w(&[
            "mlsec", "stats", "--topic", "a b", "--days", "7"
        ])]]
    );
    // A pipe, and a pipeline going on after a line ending in `|`.
    assert_eq!(
        words("printf 'B\\n' |\n  mlsec study --json | jq -c '.x\n | .y'\n"),
        vec![vec![
            w(&["printf", "B\\n"]),
            w(&["mlsec", "study", "--json"]),
            w(&["jq", "-c", ".x\n | .y"]),
        ]]
    );
    // Redirections are not arguments; lists are separate pipelines.
    let p = pipelines("mlsec completions zsh > ~/.zfunc/_mlsec 2>&1 && mlsec man 2> err < in");
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].1[0].words, w(&["mlsec", "completions", "zsh"]));
    assert_eq!(p[0].1[0].stdout_to.as_deref(), Some("~/.zfunc/_mlsec"));
    assert_eq!(p[1].1[0].words, w(&["mlsec", "man"]));
    assert_eq!(p[1].1[0].stdin_from.as_deref(), Some("in"));
    // Expansions are noticed.
    assert!(pipelines("mlsec --db \"$HOME/x\" stats")[0].1[0].dynamic);
    assert!(!pipelines("mlsec --db '$HOME' stats")[0].1[0].dynamic);
}

#[test]
fn examples_know_their_answers() {
    let ex = examples_in(
        "printf 'A\\n?\\n' > answers.txt\nMLSEC_NOW=2026-03-01 mlsec mock --json < answers.txt\n\
         printf '%s\\n' '{\"grade\":4}' quit | mlsec review --json | jq .\n\
         cargo run -q -- completions bash > completions/mlsec.bash\nmlsec study < other.txt\n",
        "p.md",
        10,
    );
    let shown: Vec<String> = ex.iter().map(Example::shown).collect();
    assert_eq!(
        shown,
        [
            "MLSEC_NOW=2026-03-01 mlsec mock --json",
            "mlsec review --json",
            "mlsec completions bash",
            "mlsec study",
        ]
    );
    assert_eq!(ex[0].stdin, Stdin::Text("A\n?\n".into()));
    assert_eq!(ex[0].place, "p.md:11");
    assert_eq!(ex[1].stdin, Stdin::Text("{\"grade\":4}\nquit\n".into()));
    assert_eq!(ex[2].stdin, Stdin::Empty);
    assert_eq!(ex[3].stdin, Stdin::Unknown);
}

#[test]
fn markdown_is_read_for_links_and_headings() {
    let text = "# Scripting with `--json`\n\n## `mlsec plan --json`\n\n## One, two — three\n\
                ## One, two — three\n\nSee [a](b.md#c) and `[not](a link)`.\n\n```sh\n\
                [not](either)\n```\n[ref]: ../x.md\n";
    let a = anchors(text);
    for slug in [
        "scripting-with---json",
        "mlsec-plan---json",
        "one-two--three",
        "one-two--three-1",
    ] {
        assert!(a.contains(slug), "{slug} in {a:?}");
    }
    let l: Vec<String> = links(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(l, ["b.md#c", "../x.md"]);
}
