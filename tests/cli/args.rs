//! Hostile arguments and environment: each gets a clear message and an exit code that
//! says what kind of failure it was; none makes the binary panic (exit 101).

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStringExt;
use std::process::Stdio;

use crate::env::{TestEnv, events, of};

/// Bytes that are not UTF-8.
fn raw(bytes: &[u8]) -> OsString {
    OsString::from_vec(bytes.to_vec())
}

fn os(s: &str) -> OsString {
    OsString::from(s)
}

#[derive(Default)]
struct Case {
    what: &'static str,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    stdin: Vec<u8>,
    /// Send stdout or stderr to /dev/full.
    full_stdout: bool,
    full_stderr: bool,
    code: i32,
    /// Expected in stderr (or, for `in_stdout`, in stdout).
    message: &'static str,
    in_stdout: bool,
}

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(env: &TestEnv, case: &Case) -> Ran {
    let mut cmd = env.cmd(&[]);
    cmd.args(&case.args);
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    let full = || std::fs::OpenOptions::new().write(true).open("/dev/full");
    cmd.stdin(Stdio::piped())
        .stdout(if case.full_stdout {
            Stdio::from(full().unwrap())
        } else {
            Stdio::piped()
        })
        .stderr(if case.full_stderr {
            Stdio::from(full().unwrap())
        } else {
            Stdio::piped()
        });
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = case.stdin.clone();
    // Written from a thread: a megabyte does not fit in the pipe while we wait.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cases(env: &TestEnv) -> Vec<Case> {
    let mut megabyte = vec![b'B'; 1024 * 1024];
    megabyte.extend_from_slice(b"\nquit\n");
    let hostile_name = "MLSEC_\x1b]52;c;aGk\x07";
    vec![
        Case {
            what: "a --now that is not a time",
            args: vec![os("--now"), os("yesterday")],
            code: 2,
            message: "invalid time \"yesterday\" for --now/MLSEC_NOW: use RFC 3339",
            ..Case::default()
        },
        Case {
            what: "a --now that is not a date",
            args: vec![os("--now"), os("2026-02-30")],
            code: 2,
            message: "invalid time \"2026-02-30\"",
            ..Case::default()
        },
        Case {
            what: "a --now that a time zone moves into year 10000",
            args: vec![os("--now"), os("9999-12-31T23:59:59-23:59")],
            code: 2,
            message: "is out of range: use a year from 0001 to 9998",
            ..Case::default()
        },
        Case {
            what: "MLSEC_NOW that is not a time",
            env: vec![(os("MLSEC_NOW"), os("soon"))],
            code: 2,
            message: "invalid time \"soon\" for --now/MLSEC_NOW",
            ..Case::default()
        },
        Case {
            what: "--now that is not UTF-8",
            args: vec![os("--now"), raw(b"2026-03-01\xff")],
            code: 2,
            message: "invalid UTF-8",
            ..Case::default()
        },
        Case {
            what: "MLSEC_NOW that is not UTF-8",
            env: vec![(os("MLSEC_NOW"), raw(b"\xff"))],
            code: 2,
            message: "MLSEC_NOW is not valid UTF-8; unset it",
            ..Case::default()
        },
        Case {
            what: "a rollover hour of 25",
            args: vec![os("--day-starts-at"), os("25")],
            code: 2,
            message: "25 is not in 0..=23",
            ..Case::default()
        },
        Case {
            what: "a negative rollover hour in the environment",
            env: vec![(os("MLSEC_DAY_STARTS_AT"), os("-1"))],
            code: 2,
            message: "-1 is not in 0..=23",
            ..Case::default()
        },
        Case {
            what: "--limit -1",
            args: vec![os("review"), os("--json"), os("--limit"), os("-1")],
            code: 2,
            message: "invalid value '-1' for '--limit <N>': expected a whole number, 0 or more",
            ..Case::default()
        },
        Case {
            what: "--new past u64",
            args: vec![os("study"), os("--json"), os("--new"), os("1e999")],
            code: 2,
            message: "invalid value '1e999' for '--new <N>'",
            ..Case::default()
        },
        Case {
            what: "--seed -1",
            args: vec![os("study"), os("--json"), os("--seed"), os("-1")],
            code: 2,
            message: "invalid value '-1' for '--seed <N>'",
            ..Case::default()
        },
        Case {
            what: "an unknown topic",
            args: vec![os("review"), os("--json"), os("--topic"), os("nope")],
            code: 2,
            message: "unknown topic \"nope\"; known topics: adversarial, communication",
            ..Case::default()
        },
        Case {
            what: "a topic that is not UTF-8",
            args: vec![os("review"), os("--json"), os("--topic"), raw(b"adv\xff")],
            code: 2,
            message: "invalid UTF-8",
            ..Case::default()
        },
        Case {
            what: "an unknown tag",
            args: vec![os("study"), os("--json"), os("--tag"), os("nope")],
            code: 2,
            message: "unknown tag \"nope\"; tags in use:",
            ..Case::default()
        },
        Case {
            what: "an unknown deck",
            args: vec![os("study"), os("--json"), os("--deck"), os("nope")],
            code: 2,
            message: "unknown deck \"nope\"; known decks: ml-security",
            ..Case::default()
        },
        Case {
            what: "a misspelt subcommand",
            args: vec![os("stduy")],
            code: 2,
            message: "a similar subcommand exists: 'study'",
            ..Case::default()
        },
        Case {
            what: "an unknown MLSEC_ variable",
            args: vec![os("--json")],
            env: vec![(os("MLSEC_DAYS_START_AT"), os("5"))],
            code: 0,
            message: "warning: ignoring unknown environment variable MLSEC_DAYS_START_AT (known: MLSEC_DB, MLSEC_NOW, MLSEC_DAY_STARTS_AT, MLSEC_CLOCK_STEP_MS)",
            ..Case::default()
        },
        Case {
            what: "an unknown MLSEC_ variable whose name is not UTF-8",
            args: vec![os("--json")],
            env: vec![(raw(b"MLSEC_\xff"), os("1"))],
            code: 0,
            message: "unknown environment variable MLSEC_\u{fffd}",
            ..Case::default()
        },
        Case {
            what: "an unknown MLSEC_ variable named with escape sequences",
            args: vec![os("--json")],
            env: vec![(os(hostile_name), os("1"))],
            code: 0,
            message: "unknown environment variable MLSEC_\u{fffd}]52;c;aGk\u{fffd} ",
            ..Case::default()
        },
        Case {
            what: "an empty MLSEC_DB",
            env: vec![(os("MLSEC_DB"), os(""))],
            code: 2,
            message: "a value is required for '--db <PATH>'",
            ..Case::default()
        },
        Case {
            what: "a database path that is not UTF-8",
            args: vec![os("--json"), os("--db"), {
                let mut p = env.db.clone().into_os_string().into_vec();
                p.extend_from_slice(b".\xff");
                raw(&p)
            }],
            code: 0,
            message: ".\u{fffd}\"",
            in_stdout: true,
            ..Case::default()
        },
        Case {
            what: "a deck path that is not UTF-8 and does not exist",
            args: vec![os("import"), raw(b"/nonexistent/deck\xff.toml")],
            code: 1,
            message: "/nonexistent/deck\u{fffd}.toml: no such file — check the path",
            ..Case::default()
        },
        Case {
            what: "an answer line of 1 MB",
            args: vec![os("study"), os("--json"), os("--no-shuffle")],
            stdin: megabyte.clone(),
            code: 0,
            message: "the answer line is 1048577 bytes long; an answer is a key, a grade or quit",
            in_stdout: true,
            ..Case::default()
        },
        Case {
            what: "an answer object of 1 MB",
            args: vec![os("study"), os("--json"), os("--no-shuffle")],
            stdin: [&b"{\"key\":\""[..], &megabyte].concat(),
            code: 0,
            message: "the answer object is 1048585 bytes long; an object line holds at most 65536 bytes",
            in_stdout: true,
            ..Case::default()
        },
        Case {
            what: "--type under --json",
            args: vec![os("review"), os("--json"), os("--type")],
            code: 2,
            message: "--type asks for typed answers in the terminal; under --json send the words in the answer line instead",
            ..Case::default()
        },
        Case {
            what: "--type in a scripted mock",
            args: vec![os("mock"), os("--json"), os("--type")],
            code: 2,
            message: "under --json send the words in the answer line",
            ..Case::default()
        },
        Case {
            what: "an answer line that is not UTF-8",
            args: vec![os("study"), os("--json"), os("--no-shuffle")],
            stdin: b"B\xff\nquit\n".to_vec(),
            code: 0,
            message: "the answer line is not valid UTF-8",
            in_stdout: true,
            ..Case::default()
        },
        Case {
            what: "stdout on a full disk",
            args: vec![os("--json")],
            full_stdout: true,
            code: 1,
            message: "mlsec: error: <stdout>: No space left on device",
            ..Case::default()
        },
        Case {
            what: "completions on a full disk",
            args: vec![os("completions"), os("bash")],
            full_stdout: true,
            code: 1,
            message: "mlsec: error: <stdout>: No space left on device",
            ..Case::default()
        },
        Case {
            what: "a session whose stdout is a full disk",
            args: vec![os("study"), os("--json")],
            stdin: b"B\n".to_vec(),
            full_stdout: true,
            code: 1,
            message: "No space left on device",
            ..Case::default()
        },
        Case {
            what: "an error while stderr is a full disk",
            args: vec![os("--now"), os("never")],
            full_stderr: true,
            code: 2,
            ..Case::default()
        },
        Case {
            what: "a database error while stderr is a full disk",
            args: vec![os("--db"), os("/")],
            full_stderr: true,
            code: 1,
            ..Case::default()
        },
        Case {
            what: "a warning while stderr is a full disk",
            env: vec![(os("MLSEC_TYPO"), os("1"))],
            args: vec![os("--json")],
            full_stderr: true,
            code: 0,
            ..Case::default()
        },
    ]
}

#[test]
fn hostile_arguments_get_a_clear_message_and_never_a_panic() {
    let env = TestEnv::new();
    env.ok(&[]);
    let mut panics = Vec::new();
    for case in cases(&env) {
        let ran = run(&env, &case);
        // The guarantee first: a panic (exit 101) anywhere is a bug.
        if ran.code == Some(101) || ran.stderr.contains("panicked") {
            panics.push(format!("{}: {:?}\n{}", case.what, ran.code, ran.stderr));
            continue;
        }
        assert_eq!(
            ran.code,
            Some(case.code),
            "{}: stdout:\n{}\nstderr:\n{}",
            case.what,
            ran.stdout.chars().take(2000).collect::<String>(),
            ran.stderr
        );
        if case.full_stderr {
            continue; // nothing to read: the exit code is the message
        }
        let shown = if case.in_stdout {
            &ran.stdout
        } else {
            &ran.stderr
        };
        assert!(
            shown.contains(case.message),
            "{}: expected {:?} in:\n{}",
            case.what,
            case.message,
            shown.chars().take(2000).collect::<String>()
        );
        assert!(
            !ran.stderr.contains('\x1b') && !ran.stderr.contains('\x07'),
            "{}: raw escapes on stderr: {:?}",
            case.what,
            ran.stderr
        );
        if case.code == 1 {
            // An import problem is reported as file:line plus the import's summary line.
            let lines = ran
                .stderr
                .lines()
                .filter(|l| !l.ends_with("nothing was imported"))
                .count();
            assert_eq!(lines, 1, "{}: one line: {}", case.what, ran.stderr);
        }
        if case.code == 2 {
            let first = ran.stderr.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("error: ") || first.starts_with("mlsec: error: "),
                "{}: the first line says what is wrong: {}",
                case.what,
                ran.stderr
            );
        }
    }
    assert!(panics.is_empty(), "exit 101:\n{}", panics.join("\n"));
}

#[test]
fn after_an_unreadable_answer_line_the_same_question_comes_back() {
    let env = TestEnv::new();
    let mut input = vec![b'x'; 100_000];
    input.extend_from_slice(b"\nB\n");
    let mut cmd = env.cmd(&["study", "--json", "--no-shuffle", "--limit", "1"]);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let events = events(&out.stdout);
    let questions = of(&events, "question");
    assert_eq!(questions.len(), 2, "asked, error, asked again");
    assert_eq!(questions[0]["card"], questions[1]["card"]);
    let errors = of(&events, "error");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("100001 bytes long"),
        "{}",
        errors[0]
    );
    assert_eq!(of(&events, "answer")[0]["correct"], true);
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 1);
}

/// Each command's help starts with its own options; the options every command takes
/// follow under their own heading (issue 15).
#[test]
fn help_lists_a_commands_own_options_before_the_global_ones() {
    let env = TestEnv::new();
    let global = ["--db", "--now", "--day-starts-at", "--json", "--color"];
    let commands = [
        "study",
        "review",
        "mock",
        "plan",
        "stats",
        "import",
        "export",
        "completions",
        "man",
    ];
    for command in std::iter::once(None).chain(commands.map(Some)) {
        let args: Vec<&str> = command.into_iter().chain(["--help"]).collect();
        let help = env.ok(&args);
        let heading = help
            .find("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{args:?}: no Global options heading:\n{help}"));
        let (own, globals) = help.split_at(heading);
        // A line that introduces the option (not one that mentions it in a sentence).
        let lists = |text: &str, flag: &str| {
            text.lines().any(|l| {
                l.trim_start()
                    .strip_prefix(flag)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '<']))
            })
        };
        for flag in global {
            assert!(
                lists(globals, flag) && !lists(own, flag),
                "{args:?}: {flag} belongs under Global options:\n{help}"
            );
        }
        let own_options = own.split("\nOptions:\n").nth(1).unwrap_or_default();
        assert!(
            own_options.contains("-h, --help"),
            "{args:?}: the command's own options come first:\n{help}"
        );
    }
}
