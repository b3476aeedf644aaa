//! The committed completion scripts are exactly what `mlsec completions` prints.

use crate::env::TestEnv;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "mlsec.bash"),
    ("zsh", "_mlsec"),
    ("fish", "mlsec.fish"),
    ("powershell", "_mlsec.ps1"),
    ("elvish", "mlsec.elv"),
];

#[test]
fn committed_completions_match_the_cli() {
    let env = TestEnv::new();
    for (shell, file) in SHELLS {
        let generated = env.ok(&["completions", shell]);
        let path = format!("{}/completions/{file}", env!("CARGO_MANIFEST_DIR"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is out of date; regenerate with:\n  cargo run -q -- completions {shell} > completions/{file}"
        );
    }
}

/// The committed manual pages are exactly what `mlsec man` prints, one file per page,
/// and nothing else is in man/.
#[test]
fn committed_man_pages_match_the_cli() {
    let env = TestEnv::new();
    let dir = format!("{}/man", env!("CARGO_MANIFEST_DIR"));
    let pages = mlsec::cli::man_pages().unwrap();
    for (file, page) in &pages {
        let command = file
            .strip_prefix("mlsec-")
            .and_then(|c| c.strip_suffix(".1"));
        let printed = match command {
            Some(c) => env.ok(&["man", c]),
            None => env.ok(&["man"]),
        };
        assert_eq!(printed.as_bytes(), &page[..], "mlsec man prints {file}");
        let committed = std::fs::read(format!("{dir}/{file}")).unwrap_or_default();
        let regenerate = match command {
            Some(c) => format!("cargo run -q -- man {c} > man/{file}"),
            None => format!("cargo run -q -- man > man/{file}"),
        };
        assert!(
            committed == *page,
            "man/{file} is out of date; regenerate with:\n  {regenerate}"
        );
    }
    let mut committed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut expected: Vec<String> = pages.into_iter().map(|(f, _)| f).collect();
    expected.sort();
    assert_eq!(committed, expected, "man/ holds one page per command");
}
