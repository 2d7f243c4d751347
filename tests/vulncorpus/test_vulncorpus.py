"""Retort on the labelled corpus of real Flask vulnerabilities (issue 11).

Downloads the vulnerable and fixed release of every corpus entry from PyPI
(cached under .cache/vulncorpus), runs `retort check` on both and fails
when the found rate falls below, or the still-flagged rate rises above, the
floors in thresholds.toml. Skipped when RETORT_BIN is unset. bandit and
semgrep are compared by compare.sh, not here.
"""
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fetch  # noqa: E402
import score  # noqa: E402

RETORT_BIN = os.environ.get("RETORT_BIN")
needs_retort = pytest.mark.skipif(not RETORT_BIN, reason="RETORT_BIN is not set")


@pytest.fixture(scope="module")
def outcomes():
    entries = score.load_checked_corpus()
    return score.evaluate(score.Retort(RETORT_BIN), entries)


@pytest.fixture(scope="module")
def floors():
    with open(HERE / "thresholds.toml", "rb") as fh:
        return tomllib.load(fh)["retort"]


def test_corpus_is_well_formed():
    entries = score.load_checked_corpus()
    assert len(entries) >= 30
    for e in entries:
        for key in ("id", "package", "vulnerable", "fixed", "url", "cwe", "class", "in_scope", "flow"):
            assert e.get(key) not in (None, ""), f"{e.get('id')}: {key} missing"
        if not e["in_scope"]:
            assert e.get("scope_note"), f"{e['id']}: out of scope without scope_note"
        for w in e["where"]:
            first, last = w["lines"]
            assert 1 <= first <= last, f"{e['id']}: bad line range {w['lines']}"


@needs_retort
def test_every_release_was_fetched_and_every_place_exists(outcomes):
    errors = [f"{o.id}: {o.error}" for o in outcomes if o.error]
    assert not errors, "\n".join(errors)


@needs_retort
def test_found_rate_floor(outcomes, floors):
    t = score.totals(outcomes, in_scope_only=True)
    missed = [o.id for o in outcomes if o.in_scope and not o.found]
    assert t["found_rate"] >= floors["min_found_rate"], (
        f"found {t['found']}/{t['entries']} ({t['found_rate']:.0%}) < floor "
        f"{floors['min_found_rate']:.0%}; missed: {', '.join(missed)}"
    )


@needs_retort
def test_still_flagged_rate_ceiling(outcomes, floors):
    t = score.totals(outcomes, in_scope_only=True)
    still = [o.id for o in outcomes if o.in_scope and o.still_flagged]
    assert t["still_flagged_rate"] <= floors["max_still_flagged_rate"], (
        f"still flagged after the fix: {t['still_flagged']}/{t['found']} "
        f"({t['still_flagged_rate']:.0%}) > ceiling {floors['max_still_flagged_rate']:.0%}: {', '.join(still)}"
    )


def test_near_criterion_is_the_documented_one(tmp_path):
    # The scorer's notion of "near" must not drift silently: same function,
    # or within NEAR_LINES lines, and nothing else.
    src = tmp_path / "m.py"
    src.write_text("def a():\n    x = 1\n    y = 2\n\n\n\n\n\n\ndef b():\n    return 3\n")
    place = score.place_of(tmp_path, "m.py", 2, 2)
    funcs = score.functions_of(src)
    hit = score.Finding("R", "m.py", 3, "xss")
    far = score.Finding("R", "m.py", 11, "xss")
    wrong_class = score.Finding("R", "m.py", 2, "sqli")
    assert score.matches(hit, place, {"xss"}, funcs)
    assert not score.matches(far, place, {"xss"}, funcs)
    assert not score.matches(wrong_class, place, {"xss"}, funcs)
