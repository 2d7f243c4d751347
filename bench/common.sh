# Sourced by bench/scan.sh and bench/check.sh (not run on its own): the
# steps both take before timing anything. Expects ROOT and WORK to be set.

log() { echo "bench: $*" >&2; }

# hyperfine and /usr/bin/time (installed with apt when running as root), python3.
need_bench_tools() {
  local need_apt=()
  command -v hyperfine >/dev/null || need_apt+=(hyperfine)
  [[ -x /usr/bin/time ]] || need_apt+=(time)
  if ((${#need_apt[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      log "installing ${need_apt[*]}"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >&2
    else
      log "please install: ${need_apt[*]}"; exit 1
    fi
  fi
  command -v python3 >/dev/null || { log "python3 is needed"; exit 1; }
}

# The binary to time: RETORT_BIN, or target/release/retort (built unless
# BENCH_NO_BUILD=1), copied to $WORK/retort so that a concurrent `cargo
# build` cannot swap it mid-run. Sets BIN, SNAP, BIN_INFO and COMMIT.
retort_snapshot() {
  if [[ -n "${RETORT_BIN:-}" ]]; then
    BIN="$RETORT_BIN"
  else
    if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
      log "cargo build --release --bin retort"
      (cd "$ROOT" && cargo build --release --quiet --bin retort >&2)
    fi
    BIN="$ROOT/target/release/retort"
  fi
  [[ -x "$BIN" ]] || { log "no binary at $BIN"; exit 1; }
  SNAP="$WORK/retort"
  cp "$BIN" "$SNAP"
  BIN_INFO="$("$SNAP" --version), built $(date -u -r "$BIN" +%Y-%m-%dT%H:%MZ), sha256 $(sha256sum "$SNAP" | cut -c1-12)"
  COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# Sets MACHINE (CPU, cores, RAM, kernel) and LOAD_BEFORE.
machine_info() {
  local cpu_model
  cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  MACHINE="${cpu_model:-unknown CPU}, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo), $(uname -sr)"
  LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
}
