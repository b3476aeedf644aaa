# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mlsec_global_optspecs
    string join \n db= now= day-starts-at= json color= h/help V/version
end

function __fish_mlsec_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mlsec_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mlsec_using_subcommand
    set -l cmd (__fish_mlsec_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mlsec -n "__fish_mlsec_needs_command" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_needs_command" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_needs_command" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_needs_command" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_needs_command" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_needs_command" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_needs_command" -s V -l version -d 'Print version'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "study" -d 'Learn new questions (10 a day by default), then repeat the ones you missed'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "review" -d 'Answer today\'s due questions, most overdue first, then repeat the misses'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "mock" -d 'Timed mock interview: a few questions across topics, then a score and a plan'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "plan" -d 'Prepare for an interview on a date: pace new cards to it, final pass before it'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "stats" -d 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "import" -d 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "export" -d 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "man" -d 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)'
complete -c mlsec -n "__fish_mlsec_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l limit -d 'At most N questions (same-day repeats come on top)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l seed -d 'Seed for shuffling options (the same seed gives the same order)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l new -d 'New questions per study day (counting earlier sessions of the day)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l no-shuffle -d 'Keep options in file order'
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l confidence -d 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)'
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l type -d 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand study" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l limit -d 'At most N questions (same-day repeats come on top)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l seed -d 'Seed for shuffling options (the same seed gives the same order)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l no-shuffle -d 'Keep options in file order'
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l confidence -d 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)'
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l type -d 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand review" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l count -d 'Questions in the mock, one per topic before any topic repeats [default: 5]' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l time-limit -d 'Seconds per question; a later answer counts as a miss (0 = no limit)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l seed -d 'Seed for picking the questions and ordering their options (same seed, same database: same questions in the same order)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l limit -d 'At most N questions (same-day repeats come on top)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l random -d 'Pick questions uniformly instead of favouring weak spots (misses, lapses, unseen)'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l structure -d 'Classify the attack vector before a card\'s options, where its tags say (default)'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l no-structure -d 'Skip the classify step'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l no-shuffle -d 'Keep options in file order'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l type -d 'Type your answer to a recall card before its model answer is shown; it is kept with the review'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand mock" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l clear -d 'Remove the plan'
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand plan" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l days -d 'Only the history of the last N study days, today included' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l limit -d 'Rows in the weakest-card, rubric-point, session and mock-interview lists' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l ascii -d 'Draw tables and pictures with ASCII only (automatic when the locale is not UTF-8)'
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand stats" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l format -d 'Read every file as this format instead of guessing' -r -f -a "toml\t''
json\t''
csv\t''
anki\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l deck -d 'Deck id for cards whose file names no deck [default for CSV and Anki: the file name]' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l topic -d 'Topic id for cards that name no topic' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l dry-run -d 'Check the files and report what would change, without writing anything'
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l prune -d 'Delete the imported decks\' retired cards and their history (asks first)'
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -s y -l yes -d 'Prune without asking'
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand import" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l what -d 'What to export' -r -f -a "cards\t'One row per card: content, schedule, answers'
reviews\t'One row per answer'
sessions\t'One row per session'
stats\t'One row per topic: the `mlsec stats` topic table'"
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l format -d 'File format [default: csv; json with --json]' -r -f -a "csv\t'Comma-separated, a header row, RFC 4180 quoting; formulas neutralised'
json\t'One array of objects with the CSV\'s columns'
anki\t'Anki plain-text notes (cards only)'"
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -s o -l output -d 'Write to FILE instead of stdout (`-` is stdout)' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l topic -d 'Only cards of this topic (repeatable)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l tag -d 'Only cards with this tag (repeatable: any of them)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l deck -d 'Only cards of this deck' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l days -d 'Only the history of the last N study days, today included' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l force -d 'Overwrite FILE if it exists'
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand completions" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -l db -d 'SQLite file holding cards, schedule and history [default: the platform data dir]' -r -F
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -l now -d 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -l day-starts-at -d 'Hour (0-23) at which a new study day starts; earlier answers count for the day before' -r
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -l color -d 'When to use colour (NO_COLOR in the environment means never)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -l json -d 'Machine-readable output: one JSON document, or JSON Lines for sessions'
complete -c mlsec -n "__fish_mlsec_using_subcommand man" -s h -l help -d 'Print help'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "study" -d 'Learn new questions (10 a day by default), then repeat the ones you missed'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "review" -d 'Answer today\'s due questions, most overdue first, then repeat the misses'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "mock" -d 'Timed mock interview: a few questions across topics, then a score and a plan'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "plan" -d 'Prepare for an interview on a date: pace new cards to it, final pass before it'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "stats" -d 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "import" -d 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "export" -d 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "man" -d 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)'
complete -c mlsec -n "__fish_mlsec_using_subcommand help; and not __fish_seen_subcommand_from study review mock plan stats import export completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
