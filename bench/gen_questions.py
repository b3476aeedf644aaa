#!/usr/bin/env python3
"""Write N interview questions as an mlsec CSV (with a header row) and as the same rows
without the header (for importers that take no header). Deterministic: the same N and
seed give byte-identical files.

usage: gen_questions.py N OUT.csv [OUT-noheader.csv] [--seed S]
"""
import csv
import random
import sys

WORDS = (
    "model data attack defence poison gradient privacy member query budget mark "
    "robust train label backdoor trigger supply chain pickle sign audit risk clip "
    "noise leak steal probe input output token prompt filter detect score"
).split()
TOPICS = ["adversarial", "poisoning", "model-stealing", "supply-chain", "communication"]
HEADER = ["id", "topic", "question", "a", "b", "c", "d", "answer", "explanation", "tags"]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--seed")]
    seed = 5
    for a in sys.argv[1:]:
        if a.startswith("--seed="):
            seed = int(a.split("=", 1)[1])
    n, out = int(args[0]), args[1]
    bare = args[2] if len(args) > 2 else None
    r = random.Random(seed)

    def words(k: int) -> str:
        return " ".join(r.choice(WORDS) for _ in range(k))

    rows = []
    for i in range(n):
        rows.append([
            f"q{i:06d}",
            TOPICS[i % len(TOPICS)],
            words(10) + "?",
            words(3),
            words(3),
            words(3),
            words(3),
            "ABCD"[r.randrange(4)],
            words(10) + ".",
            "classify defend" if i % 2 else "quantify govern",
        ])
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    if bare:
        with open(bare, "w", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)


if __name__ == "__main__":
    main()
