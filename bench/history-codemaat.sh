#!/usr/bin/env bash
# Differential check of retort_history's logical coupling against an
# independent implementation of code-maat's algorithm (code-maat-python
# from PyPI) on a real repository. Not a test (CI has no clone of a long
# history); prints the comparison and writes .cache/history-codemaat.md.
#
#   bench/history-codemaat.sh REPO
#
# Both sides get code-maat's input: `git log --numstat --no-renames` from
# HEAD, bots kept, merges without changes; code-maat's default thresholds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "${1:?usage: bench/history-codemaat.sh REPO}" && pwd)"
WORK="$ROOT/.cache/history-codemaat"
mkdir -p "$WORK"
VENV="$ROOT/.cache/venv-codemaat"
[[ -x "$VENV/bin/code-maat" ]] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "code-maat-python==0.2.0"; }
(cd "$ROOT" && cargo build --release --quiet -p retort_history --example history)

git -C "$REPO" log --numstat --no-renames --date=short --pretty=format:'--%h--%ad--%aN' >"$WORK/git.log"
"$VENV/bin/code-maat" coupling "$WORK/git.log" --output "$WORK/codemaat.csv" >/dev/null
"$ROOT/target/release/examples/history" "$REPO" --no-renames --keep-bots --coupling-csv >"$WORK/retort.csv"
"$ROOT/target/release/examples/history" "$REPO" --no-renames --keep-bots --json >"$WORK/retort.json"

python3 - "$WORK" "$REPO" <<'EOF' | tee "$ROOT/.cache/history-codemaat.md"
import csv, json, sys, collections, os
work, repo = sys.argv[1], sys.argv[2]
def load(name):
    pairs = collections.defaultdict(list)
    for row in csv.DictReader(open(os.path.join(work, name))):
        pairs[tuple(sorted((row["entity"], row["coupled"])))].append(int(row["degree"]))
    return pairs
ref, ours = load("codemaat.csv"), load("retort.csv")
history = json.load(open(os.path.join(work, "retort.json")))
identities = collections.Counter(f["path"] for f in history["files"])
reused = {p for p, n in identities.items() if n > 1}
same = [k for k in ref if ours.get(k) == ref[k]]
differ = sorted((set(ref) | set(ours)) - set(same))
explained = [k for k in differ if k[0] in reused or k[1] in reused]
print(f"## coupling: retort_history vs code-maat-python 0.2.0 on `{repo}`")
print()
print(f"- code-maat-python pairs: {len(ref)}; retort pairs: {sum(len(v) for v in ours.values())}")
print(f"- same pair, same degree: {len(same)}")
print(f"- different or on one side only: {len(differ)}, of which {len(explained)} involve a path that has "
      f"two file identities in retort (a path re-created after its file was renamed away, or "
      f"HistoryOptions::recreated_is_new) where code-maat has one path")
for k in differ:
    print(f"  - {k[0]} / {k[1]}: code-maat {ref.get(k, '-')}, retort {ours.get(k, '-')}"
          + ("" if k in explained else "  (UNEXPLAINED)"))
EOF
