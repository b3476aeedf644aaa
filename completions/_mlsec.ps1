
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mlsec' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mlsec'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mlsec' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('study', 'study', [CompletionResultType]::ParameterValue, 'Learn new questions (10 a day by default), then repeat the ones you missed')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Answer today''s due questions, most overdue first, then repeat the misses')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Timed mock interview: a few questions across topics, then a score and a plan')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Prepare for an interview on a date: pace new cards to it, final pass before it')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlsec;study' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N questions (same-day repeats come on top)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for shuffling options (the same seed gives the same order)')
            [CompletionResult]::new('--new', '--new', [CompletionResultType]::ParameterName, 'New questions per study day (counting earlier sessions of the day)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--no-shuffle', '--no-shuffle', [CompletionResultType]::ParameterName, 'Keep options in file order')
            [CompletionResult]::new('--confidence', '--confidence', [CompletionResultType]::ParameterName, 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Type your answer to a recall card before its model answer is shown; it is kept with the review')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;review' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N questions (same-day repeats come on top)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for shuffling options (the same seed gives the same order)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--no-shuffle', '--no-shuffle', [CompletionResultType]::ParameterName, 'Keep options in file order')
            [CompletionResult]::new('--confidence', '--confidence', [CompletionResultType]::ParameterName, 'After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Type your answer to a recall card before its model answer is shown; it is kept with the review')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;mock' {
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Questions in the mock, one per topic before any topic repeats [default: 5]')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Seconds per question; a later answer counts as a miss (0 = no limit)')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for picking the questions and ordering their options (same seed, same database: same questions in the same order)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N questions (same-day repeats come on top)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--random', '--random', [CompletionResultType]::ParameterName, 'Pick questions uniformly instead of favouring weak spots (misses, lapses, unseen)')
            [CompletionResult]::new('--structure', '--structure', [CompletionResultType]::ParameterName, 'Classify the attack vector before a card''s options, where its tags say (default)')
            [CompletionResult]::new('--no-structure', '--no-structure', [CompletionResultType]::ParameterName, 'Skip the classify step')
            [CompletionResult]::new('--no-shuffle', '--no-shuffle', [CompletionResultType]::ParameterName, 'Keep options in file order')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Type your answer to a recall card before its model answer is shown; it is kept with the review')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;plan' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Remove the plan')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;stats' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Only the history of the last N study days, today included')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Rows in the weakest-card, rubric-point, session and mock-interview lists')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'Draw tables and pictures with ASCII only (automatic when the locale is not UTF-8)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Read every file as this format instead of guessing')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Deck id for cards whose file names no deck [default for CSV and Anki: the file name]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic id for cards that name no topic')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Check the files and report what would change, without writing anything')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Delete the imported decks'' retired cards and their history (asks first)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Prune without asking')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Prune without asking')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;export' {
            [CompletionResult]::new('--what', '--what', [CompletionResultType]::ParameterName, 'What to export')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format [default: csv; json with --json]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (`-` is stdout)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout (`-` is stdout)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only cards of this topic (repeatable)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only cards with this tag (repeatable: any of them)')
            [CompletionResult]::new('--deck', '--deck', [CompletionResultType]::ParameterName, 'Only cards of this deck')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Only the history of the last N study days, today included')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite FILE if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mlsec;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;man' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding cards, schedule and history [default: the platform data dir]')
            [CompletionResult]::new('--now', '--now', [CompletionResultType]::ParameterName, 'Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)')
            [CompletionResult]::new('--day-starts-at', '--day-starts-at', [CompletionResultType]::ParameterName, 'Hour (0-23) at which a new study day starts; earlier answers count for the day before')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR in the environment means never)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output: one JSON document, or JSON Lines for sessions')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'mlsec;help' {
            [CompletionResult]::new('study', 'study', [CompletionResultType]::ParameterValue, 'Learn new questions (10 a day by default), then repeat the ones you missed')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Answer today''s due questions, most overdue first, then repeat the misses')
            [CompletionResult]::new('mock', 'mock', [CompletionResultType]::ParameterValue, 'Timed mock interview: a few questions across topics, then a score and a plan')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Prepare for an interview on a date: pace new cards to it, final pass before it')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Progress: cards by state, accuracy, retention, streak, forecast, weakest cards')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write cards, reviews, sessions or stats as CSV, JSON or Anki notes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mlsec;help;study' {
            break
        }
        'mlsec;help;review' {
            break
        }
        'mlsec;help;mock' {
            break
        }
        'mlsec;help;plan' {
            break
        }
        'mlsec;help;stats' {
            break
        }
        'mlsec;help;import' {
            break
        }
        'mlsec;help;export' {
            break
        }
        'mlsec;help;completions' {
            break
        }
        'mlsec;help;man' {
            break
        }
        'mlsec;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
