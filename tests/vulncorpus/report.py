"""Markdown tables of docs/vulncorpus.md from score.py --json outputs.

    python3 tests/vulncorpus/report.py OUT.json [MORE.json ...]

Several files are merged by tool name (a later file wins for a tool).
Cells: "found" = found in the vulnerable release, "found, still" = and still
flagged at the corresponding place of the fixed release, "-" = not found,
"error" = the tool or the download failed on that entry, "- (file not
parsed)" = not found and the tool reported a place's file as unparsable.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fetch  # noqa: E402

TOOL_ORDER = ["retort", "bandit", "semgrep"]


def cell(o: dict | None) -> str:
    if o is None:
        return "n/a"
    if o.get("error"):
        return "error"
    if not o["found"]:
        return "- (file not parsed)" if o.get("unparsed") else "-"
    return "found, still" if o["still_flagged"] else "found"


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({n / d:.0%})" if d else "0/0"


def main(paths: list[str]) -> int:
    report: dict = {}
    for p in paths:
        report.update(json.loads(Path(p).read_text()))
    tools = [t for t in TOOL_ORDER if t in report] + [t for t in report if t not in TOOL_ORDER]
    entries = fetch.load_corpus()
    by_tool = {t: {o["id"]: o for o in report[t]["outcomes"]} for t in tools}

    print("| tool | in-scope found | still flagged after the fix (of found) | all entries found | all: still flagged |")
    print("|---|---|---|---|---|")
    for t in tools:
        s, a = report[t]["in_scope"], report[t]["all"]
        print(f"| {t} | {pct(s['found'], s['entries'])} | {pct(s['still_flagged'], s['found'])} "
              f"| {pct(a['found'], a['entries'])} | {pct(a['still_flagged'], a['found'])} |")
    if {"bandit", "semgrep"} <= set(tools):
        union = {i for t in ("bandit", "semgrep") for i, o in by_tool[t].items()
                 if o["found"] and o["in_scope"]}
        print(f"\nIn-scope entries found by bandit or semgrep (union): {len(union)}"
              + (f"; by Retort: {sum(o['found'] and o['in_scope'] for o in by_tool['retort'].values())}"
                 if "retort" in tools else ""))

    print("\n| class | in scope | entries | " + " | ".join(f"{t} found (still)" for t in tools) + " |")
    print("|---|---|---|" + "---|" * len(tools))
    classes: dict[str, list[dict]] = {}
    for e in entries:
        classes.setdefault(e["class"], []).append(e)
    for cls, es in sorted(classes.items(), key=lambda kv: (not kv[1][0]["in_scope"], kv[0])):
        cols = []
        for t in tools:
            os_ = [by_tool[t].get(e["id"]) for e in es]
            found = sum(1 for o in os_ if o and o["found"])
            still = sum(1 for o in os_ if o and o["still_flagged"])
            cols.append(f"{found} ({still})")
        scope = "yes" if all(e["in_scope"] for e in es) else ("no" if not any(e["in_scope"] for e in es) else "mixed")
        print(f"| {cls} | {scope} | {len(es)} | " + " | ".join(cols) + " |")

    print("\n| advisory | package | vulnerable → fixed | class | in scope | place (vulnerable release) | "
          + " | ".join(tools) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(tools))
    for e in entries:
        w = e["where"][0]
        place = f"`{w['file']}:{w['lines'][0]}-{w['lines'][1]}`" + (f" +{len(e['where']) - 1}" if len(e["where"]) > 1 else "")
        cells = [cell(by_tool[t].get(e["id"])) for t in tools]
        print(f"| [{e['id']}]({e['url']}) | {e['package']} | {e['vulnerable']} → {e['fixed']} | {e['class']} "
              f"| {'yes' if e['in_scope'] else 'no'} | {place} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
