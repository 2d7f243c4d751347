#!/usr/bin/env bash
# Builds the benchmark corpus for bench/scan.sh: the unpacked wheels of big
# real Flask applications and Flask-ecosystem packages from PyPI, pinned by
# version and sha256.
#
#   bench/corpus.sh            # prints the corpus path on stdout
#
# Layout (both gitignored):
#   .cache/bench-wheels/       downloaded wheels (~275 MB)
#   .cache/bench-corpus/<pkg>-<version>/   one unpacked wheel per package
#
# Idempotent: wheels already downloaded and packages already unpacked are
# kept; a package is re-unpacked only if its directory lacks the marker.
# Needs python3 and pip (PyPI reachable) the first time only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WHEELS="${BENCH_WHEELS:-$ROOT/.cache/bench-wheels}"
CORPUS="${BENCH_CORPUS:-$ROOT/.cache/bench-corpus}"

# name==version  sha256 of the py3-none-any wheel (as published on PyPI)
PACKAGES=(
  "apache-superset==6.1.0     4b5886b2d6389a32df790aeae2532ad72529bce1af93b6edf2d1b2a8bf658748"
  "apache-airflow==2.10.5     4c6d19159bcd85f496fbea70db72ef55d32335f80e4ffb82ae3c252782079ca0"
  "mlflow==3.18.0             be7d84ba0d0b12392f5b53260cdb3e6d7b7ef4b80c29da90a89b5a1f6db7102f"
  "pgadmin4==9.18             9ea084fc416265e4fc95c9fb6e6ae0f6668d34da8670c9b65c79cea054124356"
  "ckan==2.12.0               3b41cb4860286813fbcd18c57341e96edba266e2e492aeea92c4e03ce9e2934e"
  "OctoPrint==1.11.8          21fef2f84f9b730dab905c3d22c0476f4877cadf6c129c8a75be8e5b5546241e"
  "changedetection.io==0.60.10 a99794de52220a398ef4002ac66f6bf07e579ef9269254828e6b59bd3fb2cd13"
  "calibreweb==0.6.27         c6d4173d31a4495e09c615857f30f0d03d9f7eabc7bb50558164f67083d4f72d"
  "Flask-Admin==2.2.1         a0533fd1968543fc621733316bb9c30774b501c119816f1e83d7dcedacb99895"
  "Flask-AppBuilder==5.3.0    85d7c9520402848d864ac91672e19c921ca518ddc9b840d631ed6c04306b89ed"
)

log() { echo "corpus: $*" >&2; }

mkdir -p "$WHEELS" "$CORPUS"

# Wheel file name prefix as pip normalises it: lower case, runs of -_. -> _
wheel_prefix() { echo "$1" | tr 'A-Z' 'a-z' | sed -E 's/[-_.]+/_/g'; }

for entry in "${PACKAGES[@]}"; do
  read -r spec sha <<<"$entry"
  name="${spec%%==*}"
  version="${spec##*==}"
  dir="$CORPUS/$(wheel_prefix "$name")-$version"
  [[ -f "$dir/.retort-bench-unpacked" ]] && continue

  wheel="$WHEELS/$(wheel_prefix "$name")-$version-py3-none-any.whl"
  if [[ ! -f "$wheel" ]] || ! echo "$sha  $wheel" | sha256sum -c --status; then
    log "downloading $spec"
    req="$(mktemp)"
    echo "$spec --hash=sha256:$sha" >"$req"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps \
      --only-binary :all: --require-hashes -r "$req" -d "$WHEELS" >&2
    rm -f "$req"
  fi
  echo "$sha  $wheel" | sha256sum -c --status || { log "checksum mismatch: $wheel"; exit 1; }

  log "unpacking $spec"
  rm -rf "$dir"
  mkdir -p "$dir"
  python3 - "$wheel" "$dir" <<'EOF'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
EOF
  touch "$dir/.retort-bench-unpacked"
done

# Figures of the Python part (what retort parses), cached next to the corpus.
STATS="$CORPUS/.stats"
if [[ ! -f "$STATS" || "$STATS" -ot "$0" ]]; then
  python3 - "$CORPUS" >"$STATS" <<'EOF'
import os, sys
root = sys.argv[1]
rows = []
for pkg in sorted(os.listdir(root)):
    p = os.path.join(root, pkg)
    if not os.path.isdir(p):
        continue
    files = lines = size = 0
    for d, _, fs in os.walk(p):
        for f in fs:
            if f.endswith(".py"):
                with open(os.path.join(d, f), "rb") as h:
                    data = h.read()
                files += 1
                lines += data.count(b"\n")
                size += len(data)
    rows.append((pkg, files, lines, size))
print("| package | .py files | lines | MB |")
print("|---|---:|---:|---:|")
for pkg, f, l, s in rows:
    print(f"| {pkg} | {f:,} | {l:,} | {s/1e6:.1f} |")
tf = sum(r[1] for r in rows); tl = sum(r[2] for r in rows); ts = sum(r[3] for r in rows)
print(f"| **total** | **{tf:,}** | **{tl:,}** | **{ts/1e6:.1f}** |")
EOF
fi
cat "$STATS" >&2
echo "$CORPUS"
