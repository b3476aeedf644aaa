//! The JSON Schemas of `docs/schema/` against what mlsec really prints (issue 15).
//!
//! Every session line and every document of the scenarios below is validated as it
//! comes, and then mutated: each field removed, and each value replaced by one of
//! another JSON type, must fail. The schemas are closed (`additionalProperties` or
//! `unevaluatedProperties` false), so a field added to the output fails here until its
//! schema documents it; every field mlsec prints is always printed (null when it does
//! not apply), so every field is `required`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use serde_json::{Value, json};

use crate::answers;
use crate::env::{TestEnv, right_key, wrong_key};

/// The schema files, by name (`docs/schema/NAME.schema.json`).
const NAMES: &[&str] = &[
    "session-event",
    "stats",
    "dashboard",
    "plan",
    "import",
    "export",
];

fn schema_path(name: &str) -> String {
    format!(
        "{}/docs/schema/{name}.schema.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn schema_json(name: &str) -> Value {
    let text = std::fs::read_to_string(schema_path(name)).expect("a schema file");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: not JSON: {e}"))
}

/// One schema, compiled, with format assertions on (`date`, `date-time`).
struct Schema {
    name: &'static str,
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn load(name: &'static str) -> Schema {
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile(&schema_path(name), &mut schemas)
            .unwrap_or_else(|e| panic!("{name}: the schema does not compile: {e:#}"));
        Schema {
            name,
            schemas,
            index,
        }
    }

    /// Why `doc` is refused, or `None` if it is valid.
    fn refusal(&self, doc: &Value) -> Option<String> {
        self.schemas
            .validate(doc, self.index)
            .err()
            .map(|e| format!("{e}"))
    }

    /// `doc` is valid.
    #[track_caller]
    fn valid(&self, doc: &Value) {
        if let Some(why) = self.refusal(doc) {
            panic!("{}: a real document is refused:\n{why}\n{doc:#}", self.name);
        }
    }

    /// `doc` is refused, for a reason that mentions `says`.
    #[track_caller]
    fn refuses(&self, doc: &Value, says: &str) {
        match self.refusal(doc) {
            None => panic!("{}: accepted, though broken:\n{doc:#}", self.name),
            Some(why) => assert!(why.contains(says), "{}: {why}", self.name),
        }
    }

    /// `doc` is valid, and every mutant of it (a field removed, a value of another
    /// type) is refused: the schema requires and types every field `doc` has.
    #[track_caller]
    fn strict(&self, doc: &Value) {
        self.valid(doc);
        for (what, mutant) in mutants(doc) {
            if self.refusal(&mutant).is_none() {
                panic!(
                    "{}: accepted with {what}: the schema does not require or type it\n{doc:#}",
                    self.name
                );
            }
        }
    }
}

/// Values of another JSON type than `v`.
fn other_types(v: &Value) -> [Value; 2] {
    match v {
        Value::Null => [json!(false), json!({})],
        Value::Bool(b) => [json!(b.to_string()), json!({})],
        Value::Number(n) => [json!(n.to_string()), json!({})],
        Value::String(_) => [json!(1), json!({})],
        Value::Array(_) => [json!("[]"), json!({})],
        Value::Object(_) => [json!("{}"), json!([])],
    }
}

/// `doc` with one change each: every member of every object removed, and every value
/// (members and array items, at any depth) replaced by one of another type.
fn mutants(doc: &Value) -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    collect_paths(doc, &mut Vec::new(), &mut paths);
    let mut out = Vec::new();
    for path in paths {
        let at = pointer(&path);
        let value = doc.pointer(&at).expect("a path of the document");
        for other in other_types(value) {
            let mut mutant = doc.clone();
            *mutant.pointer_mut(&at).expect("the same path") = other.clone();
            out.push((format!("{at} = {other}"), mutant));
        }
        if let Some(Step::Key(key)) = path.last() {
            let mut mutant = doc.clone();
            let parent = pointer(&path[..path.len() - 1]);
            if let Some(Value::Object(map)) = mutant.pointer_mut(&parent) {
                map.remove(key);
            }
            out.push((format!("{at} removed"), mutant));
        }
    }
    out
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn collect_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match v {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Step::Index(i), v))
            .collect(),
        _ => return,
    };
    for (step, child) in children {
        here.push(step);
        out.push(here.clone());
        collect_paths(child, here, out);
        here.pop();
    }
}

/// A JSON pointer (RFC 6901).
fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// A shape of session event: `event/mode/step` (`-` without a step).
fn variant(e: &Value) -> String {
    format!(
        "{}/{}/{}",
        e["event"].as_str().unwrap_or("?"),
        e["mode"].as_str().unwrap_or("-"),
        e["step"].as_str().unwrap_or("-")
    )
}

/// The JSON types of an event's fields, one level down: events of one signature are
/// mutated once (a session repeats a few shapes many times).
fn signature(e: &Value) -> String {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(a) if a.is_empty() => "empty",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    match e {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}:{}", kind(v)))
            .collect::<Vec<_>>()
            .join(","),
        other => kind(other).to_string(),
    }
}

/// Session events as they are validated: each line checked as it arrives, each new
/// signature mutated, the shapes seen recorded.
struct Events {
    schema: Schema,
    signatures: BTreeSet<String>,
    variants: BTreeMap<String, usize>,
}

impl Events {
    fn new() -> Events {
        Events {
            schema: Schema::load("session-event"),
            signatures: BTreeSet::new(),
            variants: BTreeMap::new(),
        }
    }

    #[track_caller]
    fn check(&mut self, event: &Value) {
        if self.signatures.insert(signature(event)) {
            self.schema.strict(event);
        } else {
            self.schema.valid(event);
        }
        *self.variants.entry(variant(event)).or_default() += 1;
    }

    /// Every shape in `shapes` was seen.
    #[track_caller]
    fn saw(&self, shapes: &[&str]) {
        for shape in shapes {
            assert!(
                self.variants.contains_key(*shape),
                "no {shape} event; seen: {:?}",
                self.variants
            );
        }
    }

    /// A session over JSON Lines, every line validated as it arrives: each question
    /// answered with `answer(question)`; with `step_ms`, every clock read takes that long
    /// (see `mock.rs`). Returns the events.
    #[track_caller]
    fn play(
        &mut self,
        env: &TestEnv,
        args: &[&str],
        step_ms: Option<u64>,
        mut answer: impl FnMut(&Value) -> String,
    ) -> Vec<Value> {
        let mut all = args.to_vec();
        all.push("--json");
        let mut cmd = env.cmd(&all);
        if let Some(ms) = step_ms {
            cmd.env("MLSEC_CLOCK_STEP_MS", ms.to_string());
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mlsec");
        let mut stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut seen = Vec::new();
        for line in stdout.lines() {
            let line = line.expect("a line of output");
            let event: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            self.check(&event);
            if event["event"] == "question" {
                assert!(seen.len() < 500, "runaway session {args:?}");
                // The session may have ended on a `quit` already sent.
                let _ = writeln!(stdin, "{}", answer(&event)).and_then(|()| stdin.flush());
            }
            seen.push(event);
        }
        drop(stdin);
        let out = child.wait_with_output().expect("wait for mlsec");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            seen.last().map(|e| e["event"].clone()),
            Some(json!("summary")),
            "{args:?}: the last line is the summary"
        );
        seen
    }

    /// [`Events::play`] with a fixed list of answer lines, sent one per question.
    #[track_caller]
    fn script(&mut self, env: &TestEnv, args: &[&str], lines: &[&str]) -> Vec<Value> {
        let mut lines = lines.iter();
        self.play(env, args, None, |_| {
            lines.next().map_or("quit", |l| *l).to_string()
        })
    }
}

/// A non-session command's document (`--json` added), validated strictly.
#[track_caller]
fn document(schema: &Schema, env: &TestEnv, args: &[&str]) -> Value {
    let doc = env.json(args);
    schema.strict(&doc);
    doc
}

/// The answer events of a session.
fn verdicts(events: &[Value]) -> Vec<&Value> {
    events.iter().filter(|e| e["event"] == "answer").collect()
}

/// The first event named `name`.
fn first<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["event"] == name)
        .unwrap_or_else(|| panic!("no {name} event in {events:#?}"))
}

/// Answers by card: each presentation of a card takes the next of its lines (`quit`
/// when they run out).
fn by_card<'a>(lines: &[(&str, &[&'a str])]) -> impl FnMut(&Value) -> String + use<'a> {
    let mut left: BTreeMap<String, std::collections::VecDeque<&'a str>> = lines
        .iter()
        .map(|(card, l)| (card.to_string(), l.iter().copied().collect()))
        .collect();
    move |q| {
        let card = q["card"].as_str().unwrap_or_default();
        left.get_mut(card)
            .and_then(|l| l.pop_front())
            .unwrap_or("quit")
            .to_string()
    }
}

/// Some valid answer in a mock: a classify step's first vector, a recall grade, a key.
fn any_mock_answer(q: &Value) -> String {
    match (q["step"].as_str(), q["kind"].as_str()) {
        (Some("classify"), _) => "A",
        (_, Some("recall")) => "3",
        _ => "A",
    }
    .to_string()
}

// ---------------------------------------------------------------------------------------
// The schema files themselves.

/// Each file is a 2020-12 schema with its `$id`, a title and a description; every
/// object it describes is closed; the definitions that two documents share (the plan
/// inside the dashboard, the plan's scope inside stats, dates) are the same in each
/// file, so each file stands alone and none drifts from the others.
#[test]
fn schemas_are_closed_self_contained_and_agree_on_shared_definitions() {
    let mut defs: BTreeMap<String, Vec<(&str, Value)>> = BTreeMap::new();
    for &name in NAMES {
        let schema = schema_json(name);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(schema["$id"], format!("urn:mlsec:schema:{name}"), "{name}");
        for key in ["title", "description"] {
            assert!(
                schema[key].as_str().is_some_and(|s| s.len() > 10),
                "{name}: {key}"
            );
        }
        closed_objects(name, &schema, &schema, "#");
        for (def, value) in schema["$defs"].as_object().into_iter().flatten() {
            defs.entry(def.clone())
                .or_default()
                .push((name, value.clone()));
        }
        Schema::load(name);
    }
    for (def, copies) in &defs {
        for (name, value) in &copies[1..] {
            assert_eq!(
                value, &copies[0].1,
                "$defs/{def} differs between {} and {name}",
                copies[0].0
            );
        }
    }
    // The dashboard's plan is the plan document's.
    assert!(defs["status"].iter().any(|(n, _)| *n == "dashboard"));
    assert!(defs["scope"].iter().any(|(n, _)| *n == "stats"));
}

/// Every subschema that says `"type": "object"` closes itself and describes each
/// property it lists (directly, or through the definition it refers to); every `$ref`
/// stays inside the file.
fn closed_objects(name: &str, root: &Value, schema: &Value, at: &str) {
    let Value::Object(map) = schema else {
        if let Value::Array(items) = schema {
            for (i, item) in items.iter().enumerate() {
                closed_objects(name, root, item, &format!("{at}/{i}"));
            }
        }
        return;
    };
    let target = |sub: &Value| {
        sub.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
            .cloned()
    };
    if map.contains_key("$ref") {
        assert!(
            target(schema).is_some(),
            "{name}: {at}/$ref leads nowhere in the file"
        );
    }
    if map.get("type") == Some(&json!("object")) {
        // Or it only dispatches (`if` the event is …, `then` that event's own schema,
        // which is closed): the session event's root.
        let dispatches = map
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().all(|b| b.get("then").is_some()));
        let closed = map.get("additionalProperties") == Some(&json!(false))
            || map.get("unevaluatedProperties") == Some(&json!(false))
            || dispatches;
        assert!(closed, "{name}: {at} is an open object");
        for (prop, sub) in map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let described = sub.get("description").is_some()
                || sub.get("const").is_some()
                || *sub == json!(false)
                || target(sub).is_some_and(|d| d.get("description").is_some());
            assert!(
                described,
                "{name}: {at}/properties/{prop} has no description"
            );
        }
    }
    for (key, sub) in map {
        closed_objects(name, root, sub, &format!("{at}/{key}"));
    }
}

/// The session lines pinned byte for byte in `contract.rs` (study, review, mocks,
/// answer objects) are valid events too.
#[test]
fn the_pinned_session_lines_are_valid_events() {
    let mut events = Events::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/events");
    for file in ["study.jsonl", "review.jsonl", "mock.jsonl", "objects.jsonl"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        for line in text.lines() {
            events.check(&serde_json::from_str(line).unwrap());
        }
    }
    events.saw(&[
        "question/study/-",
        "answer/study/-",
        "summary/study/-",
        "question/review/-",
        "answer/review/-",
        "summary/review/-",
        "question/mock/answer",
        "question/mock/classify",
        "answer/mock/answer",
        "answer/mock/classify",
        "summary/mock/-",
        "error/-/-",
    ]);
}

// ---------------------------------------------------------------------------------------
// Sessions.

/// Study and review on the built-in deck and the rubric deck: right and wrong keys,
/// confidence, `?` on both kinds of card, unreadable lines, recall graded 0–5, by
/// checklist object and with words, the repeat queue, quitting with repeats left, and
/// sessions with nothing to ask.
#[test]
fn study_and_review_sessions_are_valid_events() {
    let mut env = answers::with_deck();
    let mut events = Events::new();

    // The built-in deck: right, right with a confidence, wrong, `?`, then quit with
    // repeats left.
    let mut n = 0;
    let quit = events.play(
        &env,
        &[
            "study",
            "--deck",
            "ml-security",
            "--no-shuffle",
            "--new",
            "4",
        ],
        None,
        |q| {
            n += 1;
            let card = q["card"].as_str().unwrap();
            match n {
                1 => right_key(card),
                2 => format!("{} 5", right_key(card)),
                3 => wrong_key(card),
                4 => "?".into(),
                _ => "quit".into(),
            }
        },
    );
    assert_eq!(quit.last().unwrap()["repeats_left"], 2);

    // The rubric deck, each card missed first and repeated to a 4, with unreadable
    // lines and answer objects of every kind on the way.
    let study = events.play(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle"],
        None,
        by_card(&[
            (
                "rubric/eps-report",
                &[
                    "Z",
                    r#"{"covered":[1,3],"text":"threat model; clean vs attacked"}"#,
                    r#"{"covered":[1,2,3,4]}"#,
                ],
            ),
            (
                "rubric/label-flip",
                &[
                    "",
                    "B 3",
                    "?",
                    r#"{"key":"b","confidence":5,"text":"label flipping"}"#,
                ],
            ),
            (
                "rubric/no-rubric",
                &[r#"{"grade":9}"#, "2", r#"{"grade":4}"#],
            ),
        ]),
    );
    let answered = verdicts(&study);
    assert_eq!(answered.len(), 6, "{study:#?}");
    assert_eq!(answered[0]["covered"], json!([1, 3]));
    assert!(answered[3..].iter().all(|a| a["repeat"] == true));
    // Nothing new left, nothing to repeat: the summary alone.
    let nothing = events.script(&env, &["study", "--deck", "rubric"], &[]);
    assert_eq!(nothing.len(), 1);
    assert_eq!(nothing[0]["session"], Value::Null);

    // The next day: the due cards, two misses repeated, then nothing due.
    env.at("2026-03-02T09:30:00Z");
    let review = events.play(&env, &["review", "--no-shuffle"], None, |q| match q["card"]
        .as_str()
        .unwrap()
    {
        "rubric/eps-report" if q["repeat"] == false => r#"{"covered":[2],"text":"ε only"}"#.into(),
        "rubric/label-flip" if q["repeat"] == false => "A".into(),
        "rubric/eps-report" => "5".into(),
        card => right_key(card),
    });
    assert_eq!(review.last().unwrap()["repeats"], 2, "{review:#?}");
    let done = events.script(&env, &["review"], &[]);
    assert_eq!((done.len(), &done[0]["session"]), (1, &Value::Null));
    events.saw(&[
        "question/study/-",
        "answer/study/-",
        "summary/study/-",
        "error/-/-",
        "question/review/-",
        "answer/review/-",
        "summary/review/-",
    ]);
}

/// Mocks: classify steps right, wrong and `?`; recall answers by grade and by checklist
/// with words (the report's missed points); no time limit; every answer over time;
/// the trend of earlier mocks; and a mock stopped right after a classify step.
#[test]
fn mocks_are_valid_events() {
    let env = answers::with_deck();
    let mut events = Events::new();
    let rubric = [
        "mock",
        "--deck",
        "rubric",
        "--no-shuffle",
        "--random",
        "--seed",
        "1",
    ];

    // Every card of the rubric deck: the classify steps answered A, then `?`.
    let mut classified = 0;
    let first = events.play(&env, &rubric, None, |q| {
        match (q["step"].as_str(), q["kind"].as_str()) {
            (Some("classify"), _) => {
                classified += 1;
                if classified == 1 { "A" } else { "?" }
            }
            (_, Some("recall")) if q["rubric"] != json!([]) => {
                r#"{"covered":[1,4],"text":"threat model and the attack"}"#
            }
            (_, Some("recall")) => "4",
            _ => "B",
        }
        .to_string()
    });
    assert_eq!(classified, 2);
    let report = first.last().unwrap();
    let missed = &report["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["points_missed"].is_array())
        .unwrap_or_else(|| panic!("no checklist answer: {report:#}"))["points_missed"];
    assert_eq!(missed.as_array().map(Vec::len), Some(2), "{missed}");

    // Over time: every answer takes 150 s against the 120 s limit; a trend now.
    let late = events.play(&env, &rubric, Some(150_000), |q| {
        if q["kind"] == "recall" { "5" } else { "B" }.to_string()
    });
    assert_eq!(late.last().unwrap()["over_time"], 3);
    // No limit, no classify step, and a trend of two.
    let untimed = events.play(
        &env,
        &[&rubric[..], &["--time-limit", "0", "--no-structure"]].concat(),
        None,
        |q| if q["kind"] == "recall" { "?" } else { "A" }.to_string(),
    );
    assert_eq!(untimed.last().unwrap()["time_limit"], Value::Null);
    assert_eq!(
        untimed.last().unwrap()["trend"].as_array().unwrap().len(),
        2
    );

    // Stopped after a classify step: that question unanswered.
    let mut stop = false;
    let stopped = events.play(&env, &rubric, None, |q| {
        if stop {
            return "quit".into();
        }
        stop = q["step"] == "classify";
        any_mock_answer(q)
    });
    let report = stopped.last().unwrap();
    let questions = report["questions"].as_array().unwrap();
    assert_eq!(questions.last().unwrap()["answered"], false, "{report:#}");
    assert!(questions.last().unwrap()["classify"].is_object());

    // The built-in deck, weak spots first, five questions.
    events.play(&env, &["mock", "--seed", "7"], None, any_mock_answer);
    events.saw(&[
        "question/mock/classify",
        "answer/mock/classify",
        "question/mock/answer",
        "answer/mock/answer",
        "summary/mock/-",
    ]);
}

// ---------------------------------------------------------------------------------------
// An interview plan, across days: its documents, and the final pass's answers.

/// Three choice cards (A right) and a recall card with a three-point rubric.
const TINY: &str = r#"
[deck]
id = "tiny"
name = "Tiny"

[[topic]]
id = "basics"
name = "Basics"

[[card]]
id = "c1"
kind = "choice"
topic = "basics"
tags = ["training-time", "classify"]
question = "First?"
answer = "A"
explanation = "Because."
[[card.option]]
text = "right"
why = "It is."
[[card.option]]
text = "wrong"
why = "It is not."

[[card]]
id = "c2"
kind = "choice"
topic = "basics"
question = "Second?"
answer = "A"
[[card.option]]
text = "right"
[[card.option]]
text = "wrong"

[[card]]
id = "c3"
kind = "choice"
topic = "basics"
question = "Third?"
answer = "A"
[[card.option]]
text = "right"
[[card.option]]
text = "wrong"

[[card]]
id = "r1"
kind = "recall"
topic = "basics"
prompt = "Name three things."
answer = "One, two and three."
rubric = ["one", "two", "three"]
"#;

/// The right answer to a card of the tiny deck (or the built-in one), file order.
fn right(q: &Value) -> String {
    match q["card"].as_str().unwrap() {
        "tiny/r1" => r#"{"covered":[1,2,3]}"#.into(),
        card if card.starts_with("tiny/") => "A".into(),
        card => right_key(card),
    }
}

#[test]
fn a_plan_its_final_pass_and_the_documents_around_it_are_valid() {
    let mut env = TestEnv::new();
    env.at("2026-12-10T09:30:00Z");
    let (plan, dashboard, stats) = (
        Schema::load("plan"),
        Schema::load("dashboard"),
        Schema::load("stats"),
    );
    let mut events = Events::new();
    let deck = env.file("tiny.toml", TINY);
    env.ok(&["import", deck.to_str().unwrap()]);

    assert_eq!(document(&plan, &env, &["plan"]), Value::Null);
    let set = document(&plan, &env, &["plan", "2026-12-20", "--deck", "tiny"]);
    assert_eq!(set["final_pass_cards"], Value::Null);
    let narrowed = document(
        &plan,
        &env,
        &[
            "plan",
            "2026-12-20",
            "--topic",
            "basics",
            "--tag",
            "classify",
        ],
    );
    assert_eq!(narrowed["scope"]["tags"], json!(["classify"]));
    document(&plan, &env, &["plan", "2026-12-20", "--deck", "tiny"]);
    let pacing = document(&dashboard, &env, &[]);
    assert!(pacing["plan"].is_object());

    events.play(
        &env,
        &["study", "--no-shuffle", "--deck", "tiny"],
        None,
        right,
    );
    for day in ["2026-12-11", "2026-12-17"] {
        env.at(&format!("{day}T09:30:00Z"));
        events.play(&env, &["review", "--no-shuffle"], None, right);
    }

    // The final pass: every card once, SM-2's state untouched; misses repeated after.
    env.at("2026-12-18T09:30:00Z");
    let before = document(&dashboard, &env, &[]);
    assert_eq!(before["plan"]["final_pass_cards"], 4);
    let pass = events.play(&env, &["review", "--no-shuffle"], None, |q| {
        if q["repeat"] == true {
            return right(q);
        }
        match q["card"].as_str().unwrap() {
            "tiny/c1" => "?".into(),
            "tiny/c2" => "B".into(),
            "tiny/r1" => r#"{"covered":[2],"text":"two"}"#.into(),
            _ => "A 5".into(),
        }
    });
    let final_pass: Vec<&Value> = verdicts(&pass)
        .into_iter()
        .filter(|a| a["final_pass"] == true)
        .collect();
    assert_eq!(final_pass.len(), 4, "{pass:#?}");
    assert!(final_pass.iter().any(|a| a["covered"] == json!([2])));
    document(&dashboard, &env, &[]);
    document(&plan, &env, &["plan"]);
    let ready = document(&stats, &env, &["stats"]);
    assert_eq!(ready["plan"]["cards"], 4);
    assert!(!ready["rubric_misses"].as_array().unwrap().is_empty());
    document(
        &stats,
        &env,
        &["stats", "--days", "7", "--deck", "tiny", "--limit", "2"],
    );

    // The interview's day, then the day after: the plan has passed.
    env.at("2026-12-20T09:30:00Z");
    assert_eq!(document(&plan, &env, &["plan"])["days_left"], 0);
    document(&dashboard, &env, &[]);
    env.at("2026-12-21T09:30:00Z");
    let passed = document(&plan, &env, &["plan"]);
    assert_eq!(
        (&passed["days_left"], &passed["unseen"]),
        (&json!(-1), &Value::Null)
    );
    assert_eq!(document(&dashboard, &env, &[])["plan"], Value::Null);
    assert_eq!(document(&stats, &env, &["stats"])["plan"], Value::Null);
    assert_eq!(document(&plan, &env, &["plan", "--clear"]), Value::Null);
    events.saw(&["answer/review/-", "summary/review/-", "answer/study/-"]);
}

// ---------------------------------------------------------------------------------------
// Documents.

#[test]
fn stats_and_the_dashboard_are_valid_on_an_empty_and_a_used_database() {
    let env = answers::with_deck();
    let (stats, dashboard) = (Schema::load("stats"), Schema::load("dashboard"));
    let empty = TestEnv::new();
    let fresh = document(&stats, &empty, &["stats"]);
    assert_eq!(fresh["reviews"]["accuracy"], Value::Null);
    assert_eq!(
        document(&dashboard, &empty, &[])["last_session"],
        Value::Null
    );

    let mut events = Events::new();
    events.play(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle"],
        None,
        by_card(&[
            (
                "rubric/eps-report",
                &[r#"{"covered":[2]}"#, r#"{"covered":[1,2,3,4]}"#],
            ),
            ("rubric/label-flip", &["B"]),
            ("rubric/no-rubric", &["4"]),
        ]),
    );
    // Missed first, right when repeated.
    events.play(&env, &["study", "--no-shuffle", "--new", "6"], None, |q| {
        let card = q["card"].as_str().unwrap();
        if q["repeat"] == true {
            right_key(card)
        } else {
            wrong_key(card)
        }
    });
    events.play(
        &env,
        &["mock", "--deck", "rubric", "--count", "2"],
        None,
        any_mock_answer,
    );
    let used = document(&stats, &env, &["stats"]);
    assert!(!used["rubric_misses"].as_array().unwrap().is_empty());
    assert!(!used["mock"].as_array().unwrap().is_empty());
    document(
        &stats,
        &env,
        &["stats", "--topic", "robustness", "--days", "1"],
    );
    let today = document(&dashboard, &env, &[]);
    assert!(today["last_session"].is_object());
}

#[test]
fn import_documents_are_valid_on_success_dry_run_and_failure() {
    let env = TestEnv::new();
    let import = Schema::load("import");
    let deck = env.file("tiny.toml", TINY);
    let deck = deck.to_str().unwrap();
    let csv = env.file(
        "bank.csv",
        "id,question,a,b,answer\nq1,What is poisoning?,Training-time tampering,A UI bug,A\n",
    );
    let csv = csv.to_str().unwrap();

    let dry = document(
        &import,
        &env,
        &["import", "--dry-run", "--topic", "misc", csv],
    );
    assert_eq!((&dry["dry_run"], &dry["added"]), (&json!(true), &json!(1)));
    let both = document(
        &import,
        &env,
        &["import", "--topic", "misc", deck, answers::DECK],
    );
    assert_eq!(both["deck"], Value::Null, "two decks");
    let again = document(&import, &env, &["import", deck]);
    assert_eq!(again["unchanged"], 4);

    // A card reworded with an escape sequence in it, one gone: updated, neutralised,
    // retired; then pruned.
    let changed = TINY
        .replace("question = \"First?\"", "question = \"First\\u001b[2J?\"")
        .replace("[[card]]\nid = \"c3\"", "[[card]]\nid = \"c3-gone\"");
    let changed_path = env.file("tiny.toml", &changed);
    let changed_path = changed_path.to_str().unwrap();
    let update = document(&import, &env, &["import", changed_path]);
    assert_eq!(
        (
            &update["updated"],
            &update["neutralised"],
            &update["retired"],
            &update["added"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1))
    );
    let pruned = document(&import, &env, &["import", "--prune", "--yes", changed_path]);
    assert_eq!(pruned["pruned"], 1);

    // Failures: exit 1, the document on stdout all the same.
    let empty = env.file("empty.csv", "");
    let unknown = env.file("notes.dat", "\u{1}\u{2}\u{3}");
    let broken = env.file("broken.csv", "question,a,b,answer\nWhat?,x,y,Q\n");
    for files in [
        vec![broken.to_str().unwrap(), deck],
        vec![empty.to_str().unwrap()],
        vec![unknown.to_str().unwrap()],
    ] {
        let out = env.run(&[&["--json", "import"][..], &files[..]].concat(), "");
        assert_eq!(out.status.code(), Some(1), "{files:?}");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
        import.strict(&doc);
        assert!(doc["errors"].as_u64().unwrap() > 0);
    }
}

#[test]
fn export_to_a_file_prints_a_valid_document() {
    let env = answers::with_deck();
    let export = Schema::load("export");
    env.session(
        &["study", "--deck", "rubric", "--no-shuffle"],
        &["4", "B", "5"],
    );
    for (what, format, file) in [
        ("cards", None, "cards.csv"),
        ("reviews", Some("json"), "reviews.json"),
        ("sessions", Some("csv"), "sessions.csv"),
        ("stats", Some("json"), "stats.json"),
        ("cards", Some("anki"), "notes.txt"),
    ] {
        let path = env.file(file, "");
        std::fs::remove_file(&path).unwrap();
        let path = path.to_str().unwrap();
        let mut args = vec!["export", "--what", what, "-o", path];
        if let Some(format) = format {
            args.extend(["--format", format]);
        }
        let doc = document(&export, &env, &args);
        assert_eq!((&doc["what"], &doc["file"]), (&json!(what), &json!(path)));
    }
}

// ---------------------------------------------------------------------------------------
// Broken documents.

/// For each schema, a real document loses a required field, gets a field of the wrong
/// type, or gains a field the schema does not know: each is refused, naming it. (The
/// tests above do this for every field of every document; these are the examples.)
#[test]
fn each_schema_refuses_a_missing_a_mistyped_and_an_unknown_field() {
    let env = answers::with_deck();
    let mut events = Events::new();
    let study = events.play(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle"],
        None,
        by_card(&[
            ("rubric/eps-report", &[r#"{"covered":[1]}"#]),
            ("rubric/label-flip", &["x"]),
        ]),
    );
    let mock = events.play(
        &env,
        &["mock", "--deck", "rubric", "--count", "1"],
        None,
        any_mock_answer,
    );
    let plan_doc = env.json(&["plan", "2026-03-20"]);
    let file = env.file("out.csv", "");
    std::fs::remove_file(&file).unwrap();
    let bad = env.file("bad.csv", "question,answer\n");
    let import_doc: Value = serde_json::from_slice(
        &env.run(&["--json", "import", bad.to_str().unwrap()], "")
            .stdout,
    )
    .unwrap();
    let documents = [
        (
            "session-event",
            first(&study, "question").clone(),
            "options",
        ),
        ("session-event", first(&study, "answer").clone(), "correct"),
        ("session-event", first(&study, "error").clone(), "message"),
        ("session-event", study.last().unwrap().clone(), "due_left"),
        (
            "session-event",
            first(&mock, "answer").clone(),
            "elapsed_ms",
        ),
        ("session-event", mock.last().unwrap().clone(), "classify"),
        ("stats", env.json(&["stats"]), "rubric_misses"),
        ("dashboard", env.json(&[]), "plan"),
        ("plan", plan_doc, "final_pass_from"),
        ("import", import_doc, "dry_run"),
        (
            "export",
            env.json(&["export", "-o", file.to_str().unwrap()]),
            "rows",
        ),
    ];
    for (name, doc, field) in documents {
        let schema = Schema::load(name);
        schema.valid(&doc);
        let mut missing = doc.clone();
        missing.as_object_mut().unwrap().remove(field);
        schema.refuses(&missing, &format!("'{field}'"));
        let mut mistyped = doc.clone();
        mistyped[field] = other_types(&doc[field])[0].clone();
        schema.refuses(&mistyped, &format!("/{field}"));
        let mut unknown = doc.clone();
        unknown["next_step"] = json!("mlsec review");
        schema.refuses(&unknown, "next_step");
    }
}
