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
