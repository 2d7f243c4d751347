"""Shared state and the end-of-run summary of the differential tests."""

from __future__ import annotations

import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parents[1] / "harness"
if str(HARNESS) not in sys.path:
    sys.path.insert(0, str(HARNESS))

# fixture name -> {"runtime": int, "library": int, "matched": int, "missing": int,
#                  "invented": int, "unresolved": int}; filled by test_fixtures.py
SUMMARY: dict[str, dict] = {}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not SUMMARY:
        return
    tr = terminalreporter
    tr.section("retort scan vs. Flask url_map")
    header = f"{'fixture':32} {'runtime':>7} {'library':>7} {'matched':>7} {'missing':>7} {'invented':>8} {'unresolved':>10}"
    tr.write_line(header)
    totals = dict.fromkeys(("runtime", "library", "matched", "missing", "invented", "unresolved"), 0)
    for name in sorted(SUMMARY):
        row = SUMMARY[name]

        def cell(key, width):
            value = row.get(key)
            if isinstance(value, int):
                totals[key] += value
                return f"{value:>{width}}"
            return f"{'-':>{width}}"

        tr.write_line(
            f"{name:32} {cell('runtime', 7)} {cell('library', 7)} {cell('matched', 7)} "
            f"{cell('missing', 7)} {cell('invented', 8)} {cell('unresolved', 10)}"
        )
    tr.write_line(
        f"{'TOTAL':32} {totals['runtime']:>7} {totals['library']:>7} {totals['matched']:>7} "
        f"{totals['missing']:>7} {totals['invented']:>8} {totals['unresolved']:>10}"
    )
    tr.write_line(
        "runtime = project and static routes Retort must find; library = routes added by "
        "installed extensions (optional); '-' = not compared (RETORT_BIN unset or scan failed)"
    )
