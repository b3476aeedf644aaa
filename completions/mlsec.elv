
use builtin;
use str;

set edit:completion:arg-completer[mlsec] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mlsec'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mlsec'= {
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand study 'Learn new questions (10 a day by default), then repeat the ones you missed'
            cand review 'Answer today''s due questions, most overdue first, then repeat the misses'
            cand mock 'Timed mock interview: a few questions across topics, then a score and a plan'
            cand plan 'Prepare for an interview on a date: pace new cards to it, final pass before it'
            cand stats 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards'
            cand import 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)'
            cand export 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlsec;study'= {
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --limit 'At most N questions (same-day repeats come on top)'
            cand --seed 'Seed for shuffling options (the same seed gives the same order)'
            cand --new 'New questions per study day (counting earlier sessions of the day)'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --no-shuffle 'Keep options in file order'
            cand --confidence 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)'
            cand --type 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;review'= {
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --limit 'At most N questions (same-day repeats come on top)'
            cand --seed 'Seed for shuffling options (the same seed gives the same order)'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --no-shuffle 'Keep options in file order'
            cand --confidence 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)'
            cand --type 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;mock'= {
            cand --count 'Questions in the mock, one per topic before any topic repeats [default: 5]'
            cand --time-limit 'Seconds per question; a later answer counts as a miss (0 = no limit)'
            cand --seed 'Seed for picking the questions and ordering their options (same seed, same database: same questions in the same order)'
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --limit 'At most N questions (same-day repeats come on top)'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --random 'Pick questions uniformly instead of favouring weak spots (misses, lapses, unseen)'
            cand --structure 'Classify the attack vector before a card''s options, where its tags say (default)'
            cand --no-structure 'Skip the classify step'
            cand --no-shuffle 'Keep options in file order'
            cand --type 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;plan'= {
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --clear 'Remove the plan'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;stats'= {
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --days 'Only the history of the last N study days, today included'
            cand --limit 'Rows in the weakest-card, rubric-point, session and mock-interview lists'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --ascii 'Draw tables and pictures with ASCII only (automatic when the locale is not UTF-8)'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;import'= {
            cand --format 'Read every file as this format instead of guessing'
            cand --deck 'Deck id for cards whose file names no deck [default for CSV and Anki: the file name]'
            cand --topic 'Topic id for cards that name no topic'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --dry-run 'Check the files and report what would change, without writing anything'
            cand --prune 'Delete the imported decks'' retired cards and their history (asks first)'
            cand -y 'Prune without asking'
            cand --yes 'Prune without asking'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;export'= {
            cand --what 'What to export'
            cand --format 'File format [default: csv; json with --json]'
            cand -o 'Write to FILE instead of stdout (`-` is stdout)'
            cand --output 'Write to FILE instead of stdout (`-` is stdout)'
            cand --topic 'Only cards of this topic (repeatable)'
            cand --tag 'Only cards with this tag (repeatable: any of them)'
            cand --deck 'Only cards of this deck'
            cand --days 'Only the history of the last N study days, today included'
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --force 'Overwrite FILE if it exists'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mlsec;completions'= {
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;man'= {
            cand --db 'SQLite file holding cards, schedule and history [default: the platform data dir]'
            cand --now 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)'
            cand --day-starts-at 'Hour (0-23) at which a new study day starts; earlier answers count for the day before'
            cand --color 'When to use colour (NO_COLOR in the environment means never)'
            cand --json 'Machine-readable output: one JSON document, or JSON Lines for sessions'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'mlsec;help'= {
            cand study 'Learn new questions (10 a day by default), then repeat the ones you missed'
            cand review 'Answer today''s due questions, most overdue first, then repeat the misses'
            cand mock 'Timed mock interview: a few questions across topics, then a score and a plan'
            cand plan 'Prepare for an interview on a date: pace new cards to it, final pass before it'
            cand stats 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards'
            cand import 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)'
            cand export 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mlsec;help;study'= {
        }
        &'mlsec;help;review'= {
        }
        &'mlsec;help;mock'= {
        }
        &'mlsec;help;plan'= {
        }
        &'mlsec;help;stats'= {
        }
        &'mlsec;help;import'= {
        }
        &'mlsec;help;export'= {
        }
        &'mlsec;help;completions'= {
        }
        &'mlsec;help;man'= {
        }
        &'mlsec;help;help'= {
        }
    ]
    $completions[$command]
}
