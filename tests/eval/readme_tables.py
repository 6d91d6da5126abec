#!/usr/bin/env python3
"""Prints the README's per-article and per-question-kind tables from `caravanbot eval --json`.

    dotnet run -c Release --project bot -- eval --json | python3 tests/eval/readme_tables.py

Reads the two report lines `eval` prints for the bundled dev set (the tuning half, then the held-out
half) and writes the two tables, then one totals line per half.
"""
import json
import sys

KIND_NAMES = {
    "how_many": "how many", "multi_part": "multi-part", "nickname": "nickname, initials",
    "follow_number": "follow the number", "who_said": "who said", "typo": "typos, chat",
    "injection": "instruction injection", "mention": "Discord mentions",
    "not_in_article": "unstated facts (abstain)", "boilerplate": "page furniture (abstain)",
    "off_topic": "off-topic (abstain)",
}
LEFT_KINDS = ["who", "what", "where", "when", "how_many", "why", "how", "paraphrase", "multi_part"]
RIGHT_KINDS = ["coreference", "nickname", "follow_number", "who_said", "typo", "injection", "mention",
               "not_in_article", "boilerplate", "off_topic"]


def article_cells(figures: dict) -> str:
    name = figures["article"] + (" (caravan)" if figures["article"] == "default" else "")
    return (f"{name} | {figures['correct_answers']} / {figures['expected_answers']} | "
            f"{figures['correct_abstentions']} / {figures['expected_abstentions']} | {100 * figures['accuracy']:.1f} %")


def kind_cells(kind: str, test: dict, tune: dict) -> str:
    def right(c: dict) -> str:
        return f"{c['correct_answers'] + c['correct_abstentions']} / {c['questions']}"
    return f"{KIND_NAMES.get(kind, kind)} | {right(test[kind])} | {right(tune[kind])}"


def main() -> int:
    reports = [json.loads(line) for line in sys.stdin if line.strip()]
    if len(reports) != 2:
        print("expected two report lines (tuning half, then held-out half) from `caravanbot eval --json`", file=sys.stderr)
        return 1
    tune, test = reports
    print("| held-out article | correct answers | correct abstentions | accuracy | | tuning article | correct answers | correct abstentions | accuracy |")
    print("|---|---:|---:|---:|---|---|---:|---:|---:|")
    held, tuned = test["articles"], tune["articles"]
    for i in range(max(len(held), len(tuned))):
        left = article_cells(held[i]) if i < len(held) else " |  |  | "
        right = article_cells(tuned[i]) if i < len(tuned) else " |  |  | "
        print(f"| {left} | | {right} |")
    print()
    test_kinds = {c["article"]: c for c in test["categories"]}
    tune_kinds = {c["article"]: c for c in tune["categories"]}
    print("| kind | held-out | tuning | | kind | held-out | tuning |")
    print("|---|---:|---:|---|---|---:|---:|")
    for i in range(max(len(LEFT_KINDS), len(RIGHT_KINDS))):
        left = kind_cells(LEFT_KINDS[i], test_kinds, tune_kinds) if i < len(LEFT_KINDS) else " |  | "
        right = kind_cells(RIGHT_KINDS[i], test_kinds, tune_kinds) if i < len(RIGHT_KINDS) else " |  | "
        print(f"| {left} | | {right} |")
    print()
    for name, report in (("tuning", tune), ("held-out", test)):
        t = report["total"]
        print(f"{name}: {t['correct_answers']} / {t['expected_answers']} answers, {t['correct_abstentions']} / {t['expected_abstentions']} "
              f"abstentions, {t['correct_answers'] + t['correct_abstentions']} / {t['questions']} overall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
