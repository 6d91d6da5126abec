#!/usr/bin/env python3
"""Validates the dev set (tests/eval/tune.jsonl and test.jsonl) against its articles and prints counts.

Run from anywhere: python3 tests/eval/validate.py   (exit code 1 on any error)
Add --markdown to print the counts tables in the form README.md uses.

Articles are the project's own (boilerplate.json: articles/NAME.txt with their boilerplate lines)
or real published pages (pages.json), whose human-checked story text is read in place from
../shared/benchmarks/article-extraction/ground-truth.json.
"""
import collections
import json
import re
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parent
ROOT = EVAL.parent.parent
CATEGORIES = ["who", "what", "where", "when", "how_many", "why", "how", "paraphrase", "multi_part",
              "coreference", "nickname", "follow_number", "who_said", "typo", "injection", "mention",
              "off_topic", "not_in_article", "boilerplate"]
HALVES = ["tune", "test"]
REASONS = {"off_topic", "not_in_article"}
ANSWER_KEYS = {"id", "article", "question", "expect", "category"}
ABSTAIN_KEYS = ANSWER_KEYS | {"reason"}
# Sentence ends: . ! ? optionally followed by a closing quote, then whitespace (or a line break).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][”’\"])\s+|\n+")

errors: list[str] = []


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def load_articles() -> dict[str, dict]:
    spec = json.loads((EVAL / "boilerplate.json").read_text(encoding="utf-8"))
    articles = {}
    for name, entry in spec.items():
        path = ROOT / entry["path"]
        raw = path.read_text(encoding="utf-8")
        if "\r" in raw:
            errors.append(f"{entry['path']}: contains CR characters")
        lines = raw.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if any(not line.strip() for line in lines):
            errors.append(f"{entry['path']}: blank line (want one paragraph per line)")
        boiler = set(entry["boilerplate_lines"])
        story = {}  # line number -> story text (boilerplate removed)
        for number, line in enumerate(lines, 1):
            if number in boiler:
                continue
            story[number] = line
        for glued in entry["glued"]:
            n, bp = glued["line"], glued["boilerplate"]
            line = story[n]
            if glued["at"] == "start" and line.startswith(bp) and not line[len(bp)].isspace():
                story[n] = line[len(bp):]
            elif glued["at"] == "end" and line.endswith(bp) and not line[-len(bp) - 1].isspace():
                story[n] = line[: -len(bp)]
            else:
                errors.append(f"{entry['path']}:{n}: glued boilerplate not found as described")
        body_sentences = [norm(s) for n, text in story.items() if n >= 3 for s in SENTENCE_END.split(text)]
        articles[name] = {
            "path": entry["path"],
            "lines": lines,
            "all": norm(raw),
            "sentences": body_sentences,
            "story_paragraphs": len(story),
            "boilerplate_lines": len(boiler),
            "split": "tune",
        }
    pages = json.loads((EVAL / "pages.json").read_text(encoding="utf-8"))
    truth_file = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "ground-truth.json"
    if not truth_file.exists():
        errors.append(f"{truth_file.parent}/ is missing: the real pages of pages.json cannot be checked")
        return articles
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    for name, entry in pages.items():
        if entry["split"] not in HALVES:
            errors.append(f"pages.json {name}: split must be one of {HALVES}")
        body = truth[entry["page"]]["articleBody"]
        articles[name] = {
            "path": f"benchmark page {entry['page'][:10]}",
            "lines": body.split("\n\n"),
            "all": norm(body),
            "sentences": [norm(s) for s in SENTENCE_END.split(body)],
            "story_paragraphs": len(body.split("\n\n")),
            "boilerplate_lines": 0,
            "split": entry["split"],
        }
    return articles


def check_line(q, where, articles, half, seen) -> bool:
    abstain = q.get("expect") == "abstain"
    keys = ABSTAIN_KEYS if abstain else ANSWER_KEYS
    if set(q) != keys:
        errors.append(f"{where}: keys {sorted(q)} != {sorted(keys)}")
        return False
    where += f" {q['id']}"
    if not re.fullmatch(re.escape("caravan" if q["article"] in ("default", "floods", "bees", "railstrike") else q["article"]) + r"-\d{3}", q["id"]):
        errors.append(f"{where}: bad id (want ARTICLE-NNN, caravan-NNN for the project's own articles)")
    if q["id"] in seen:
        errors.append(f"{where}: duplicate id")
    seen.add(q["id"])
    if q["category"] not in CATEGORIES:
        errors.append(f"{where}: unknown category {q['category']}")
    if not isinstance(q["question"], str) or not q["question"].strip():
        errors.append(f"{where}: empty question")
    art = articles.get(q["article"])
    if art is None:
        errors.append(f"{where}: article {q['article']!r} does not resolve")
        return False
    if art["split"] != half:
        errors.append(f"{where}: article {q['article']!r} belongs to the {art['split']} half, not {half}")
    if abstain:
        if q["reason"] not in REASONS:
            errors.append(f"{where}: bad reason {q['reason']!r}")
        if q["category"] == "off_topic" and q["reason"] != "off_topic":
            errors.append(f"{where}: off_topic category needs reason off_topic")
        if q["category"] in ("not_in_article", "boilerplate") and q["reason"] != "not_in_article":
            errors.append(f"{where}: {q['category']} category needs reason not_in_article")
        return True
    exp = q["expect"]
    if q["category"] in ("off_topic", "not_in_article", "boilerplate"):
        errors.append(f"{where}: category {q['category']} must abstain")
    if not isinstance(exp, list) or not 1 <= len(exp) <= 3:
        errors.append(f"{where}: expect must be 'abstain' or a list of 1-3 items")
        return True
    for item in exp:
        alternatives = item if isinstance(item, list) else [item]
        if not alternatives or not all(isinstance(p, str) for p in alternatives):
            errors.append(f"{where}: an item must be a phrase or a list of alternative phrases")
            continue
        for phrase in alternatives:
            words = len(phrase.split())
            if not 3 <= words <= 8:
                errors.append(f"{where}: phrase {phrase!r} has {words} words (want 3-8)")
            p = norm(phrase)
            if p not in art["all"]:
                errors.append(f"{where}: phrase {phrase!r} not in {art['path']}")
            elif not any(p in s for s in art["sentences"]):
                errors.append(f"{where}: phrase {phrase!r} is not inside one story sentence of the body")
    return True


def table(rows, names, markdown):
    by = collections.Counter((q["article"], q["category"]) for q in rows)
    totals = collections.Counter(q["article"] for q in rows)
    used = [c for c in CATEGORIES if any(by[(n, c)] for n in names)]
    if markdown:
        print("\n| category | " + " | ".join(names) + " | total |")
        print("|---|" + "---:|" * (len(names) + 1))
        for c in used:
            print(f"| {c} | " + " | ".join(str(by[(n, c)]) for n in names) + f" | {sum(by[(n, c)] for n in names)} |")
        print("| **total** | " + " | ".join(f"**{totals[n]}**" for n in names) + f" | **{len(rows)}** |")
        return
    print(f"\n{'category':<15}" + "".join(f"{n[:10]:>11}" for n in names) + f"{'total':>8}")
    for c in used:
        print(f"{c:<15}" + "".join(f"{by[(n, c)]:>11}" for n in names) + f"{sum(by[(n, c)] for n in names):>8}")
    print(f"{'total':<15}" + "".join(f"{totals[n]:>11}" for n in names) + f"{len(rows):>8}")


def main() -> int:
    articles = load_articles()
    seen: set[str] = set()
    markdown = "--markdown" in sys.argv
    for half in HALVES:
        rows = []
        qfile = EVAL / f"{half}.jsonl"
        for lineno, line in enumerate(qfile.read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip():
                continue
            where = f"{half}.jsonl:{lineno}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON ({e})")
                continue
            if check_line(q, where, articles, half, seen):
                rows.append(q)
        names = [n for n in articles if any(q["article"] == n for q in rows)]
        abstains = collections.Counter(q.get("reason", "answer") for q in rows)
        print(f"\n{half} half ({qfile.name}): {len(rows)} questions over {len(names)} articles; expected {dict(abstains)}")
        table(rows, names, markdown)
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print(f"\n{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
