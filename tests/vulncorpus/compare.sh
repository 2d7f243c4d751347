#!/usr/bin/env bash
# Retort, bandit and semgrep side by side on the vulnerability corpus.
# Not run in CI (semgrep's rules are not available there). Needs:
#   RETORT_BIN     the retort binary to measure
#   SEMGREP_RULES  a folder of semgrep rule files; docs/vulncorpus.md says
#                  which files of the semgrep-rules repository were used.
#                  Never commit them.
# bandit and semgrep are installed from PyPI into .cache/vulncorpus-tools.
# Writes .cache/vulncorpus/compare.json and prints the markdown tables of
# docs/vulncorpus.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${RETORT_BIN:?set RETORT_BIN to the retort binary}"
: "${SEMGREP_RULES:?set SEMGREP_RULES to a folder of semgrep rule files}"
VENV=.cache/vulncorpus-tools
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check bandit==1.9.4 semgrep==1.187.0
OUT=.cache/vulncorpus/compare.json
"$VENV/bin/python" tests/vulncorpus/score.py \
  --tool retort --retort-bin "$RETORT_BIN" \
  --tool bandit --bandit "$VENV/bin/bandit" \
  --tool semgrep --semgrep "$VENV/bin/semgrep" --semgrep-rules "$SEMGREP_RULES" \
  --json "$OUT"
"$VENV/bin/python" tests/vulncorpus/report.py "$OUT"
