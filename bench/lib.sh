# shellcheck shell=bash
# bench/lib.sh: shared helpers for the Mediary benchmarks. Sourced, not run.
#
# Provides: building, a temp work dir, free loopback ports, starting Mediary on a fresh data
# dir (account + token), peak-RSS readers, medians, and one EXIT trap that kills whatever the
# benchmark started (server, its image-helper children, the baseline) and deletes the temp dir,
# whether the run succeeds, fails or is interrupted.

shopt -s inherit_errexit   # failures inside $(...) stop the run too

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd -- "$BENCH_DIR/.." && pwd)
MEDIARY_DLL="$REPO_DIR/src/Mediary/bin/Release/net10.0/Mediary.dll"
BASELINE_DLL="$BENCH_DIR/Baseline/bin/Release/net10.0/Baseline.dll"
RESULTS_DIR="$BENCH_DIR/results"   # git-ignored (/bench/results/ in the root .gitignore)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_tools() {
    local tool missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
    ((${#missing[@]} == 0)) || die "missing tool(s): ${missing[*]} (see bench/README.md)"
}

# ---------------------------------------------------------------------------------------------
# Cleanup: everything started goes into these lists; the EXIT trap undoes it all.
# ---------------------------------------------------------------------------------------------
_PIDS_TO_KILL=()      # processes we started (server, baseline)
_SERVER_PIDS=()       # servers whose helper children must die with them
WORK_DIR=""

_kill_pid() { # PID: TERM, up to 10 s grace, then KILL. Only ever our own processes, by id.
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

stop_server() { # SERVER_PID: the server, then any image-helper child it left behind
    local pid=$1 helpers child
    helpers=$(pgrep -P "$pid" 2>/dev/null || true)
    _kill_pid "$pid"
    for child in $helpers; do
        # A graceful shutdown kills the helpers itself; this catches a server that had to be KILLed.
        kill -0 "$child" 2>/dev/null && kill -KILL "$child" 2>/dev/null
    done
    return 0
}

bench_cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${_SERVER_PIDS[@]}"; do stop_server "$pid"; done
    for pid in "${_PIDS_TO_KILL[@]}"; do _kill_pid "$pid"; done
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then rm -rf -- "$WORK_DIR"; fi
    exit "$status"
}

bench_init() { # creates WORK_DIR and installs the trap
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mediary-bench.XXXXXX")
    mkdir -p -- "$RESULTS_DIR"
}

# ---------------------------------------------------------------------------------------------
# Building and starting.
# ---------------------------------------------------------------------------------------------
# build_server: builds src/Mediary in Release. With BENCH_REV=<git revision> the server is built
# from that commit (exported with git archive into the temp dir) instead of the working tree, so
# a run is not disturbed by edits in progress and revisions can be compared.
build_server() {
    local src_root=$REPO_DIR
    if [[ -n ${BENCH_REV:-} ]]; then
        src_root="$WORK_DIR/rev"
        mkdir -p -- "$src_root"
        log "exporting $BENCH_REV ($(git -C "$REPO_DIR" rev-parse --short "$BENCH_REV")) into the temp dir"
        git -C "$REPO_DIR" archive --format=tar "$BENCH_REV" src Directory.Build.props Directory.Packages.props |
            tar -x -C "$src_root" || die "git archive $BENCH_REV failed"
        MEDIARY_DLL="$src_root/src/Mediary/bin/Release/net10.0/Mediary.dll"
    fi
    log "building src/Mediary (Release) from $src_root"
    dotnet build "$src_root/src/Mediary" -c Release -v quiet -nologo >"$WORK_DIR/build-server.log" 2>&1 ||
        { cat "$WORK_DIR/build-server.log" >&2; die "server build failed"; }
    [[ -f $MEDIARY_DLL ]] || die "no $MEDIARY_DLL after the build"
    SERVER_REV=$(git -C "$REPO_DIR" rev-parse --short "${BENCH_REV:-HEAD}" 2>/dev/null || echo '?')
    [[ -n ${BENCH_REV:-} ]] || { [[ -z $(git -C "$REPO_DIR" status --porcelain -- src 2>/dev/null) ]] || SERVER_REV+="+dirty"; }
}

build_baseline() {
    log "building bench/Baseline (Release)"
    dotnet build "$BENCH_DIR/Baseline" -c Release -v quiet -nologo >"$WORK_DIR/build-baseline.log" 2>&1 ||
        { cat "$WORK_DIR/build-baseline.log" >&2; die "baseline build failed"; }
    [[ -f $BASELINE_DLL ]] || die "no $BASELINE_DLL after the build"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # URL PID [SECONDS]: until URL answers 200, or PID dies, or time runs out
    local url=$1 pid=$2 limit=${3:-60} i
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        curl -sf -o /dev/null --max-time 2 "$url" && return 0
        sleep 0.1
    done
    return 1
}

# start_server NAME: fresh data dir, account "bench", token with "read write", server on a free
# loopback port with logging at Warning (BENCH_LOGGING=default: as configured in appsettings.json),
# and no upload rate limit unless BENCH_UPLOAD_LIMIT says one. Sets SERVER_PID, SERVER_URL, SERVER_TOKEN, SERVER_LOG.
start_server() {
    local name=$1 data port
    data="$WORK_DIR/$name-data"
    mkdir -p -- "$data"
    dotnet "$MEDIARY_DLL" accounts create bench --data "$data" >/dev/null || die "accounts create failed"
    SERVER_TOKEN=$(dotnet "$MEDIARY_DLL" tokens create --account bench --scopes "read write" --data "$data") ||
        die "tokens create failed"
    [[ -n $SERVER_TOKEN ]] || die "tokens create printed no token"
    port=$(free_port)
    SERVER_URL="http://127.0.0.1:$port"
    SERVER_LOG="$WORK_DIR/$name-server.log"
    # BENCH_LOGGING=default: the configuration a user gets (appsettings.json); else Warning.
    local logging=(Logging__LogLevel__Default=Warning)
    [[ ${BENCH_LOGGING:-warning} == default ]] && logging=()
    env "${logging[@]}" ASPNETCORE_ENVIRONMENT=Production RateLimits__MediaUploadLimit="${BENCH_UPLOAD_LIMIT:-0}" \
        dotnet "$MEDIARY_DLL" serve --data "$data" --urls "$SERVER_URL" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    _SERVER_PIDS+=("$SERVER_PID")
    wait_http "$SERVER_URL/api/v1/instance" "$SERVER_PID" 60 ||
        { tail -n 30 "$SERVER_LOG" >&2; die "server did not come up on $SERVER_URL"; }
    log "server pid $SERVER_PID on $SERVER_URL (data $data)"
}

# start_baseline: bench/Baseline on a free port. Sets BASELINE_PID, BASELINE_URL.
start_baseline() {
    local port
    port=$(free_port)
    BASELINE_URL="http://127.0.0.1:$port"
    dotnet "$BASELINE_DLL" --urls "$BASELINE_URL" >"$WORK_DIR/baseline.log" 2>&1 &
    BASELINE_PID=$!
    _PIDS_TO_KILL+=("$BASELINE_PID")
    wait_http "$BASELINE_URL/json" "$BASELINE_PID" 60 ||
        { tail -n 30 "$WORK_DIR/baseline.log" >&2; die "baseline did not come up on $BASELINE_URL"; }
    log "baseline pid $BASELINE_PID on $BASELINE_URL"
}

# ---------------------------------------------------------------------------------------------
# Measuring.
# ---------------------------------------------------------------------------------------------
vm_hwm_kb() { # PID: peak resident set size (VmHWM) in kB, or empty
    awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || true
}

helper_pids() { # SERVER_PID: its image-helper children
    local pid
    for pid in $(pgrep -P "$1" 2>/dev/null || true); do
        grep -qa 'image-helper' "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
    done
    return 0
}

mib() { awk -v kb="${1:-0}" 'BEGIN { printf "%.0f", kb / 1024 }'; }

# stats < numbers: "median min max n" (one number per line)
stats() {
    python3 -c '
import statistics, sys
xs = [float(l) for l in sys.stdin if l.strip()]
print("%.1f %.1f %.1f %d" % (statistics.median(xs), min(xs), max(xs), len(xs)) if xs else "nan nan nan 0")'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }'; }

# verdict VALUE OP GOAL: "met" or "MISSED" (OP is <= or >=)
verdict() {
    awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN { ok = (op == "<=") ? (v <= g) : (v >= g); print (ok ? "met" : "MISSED") }'
}

machine_line() {
    printf '%s, nproc %s, load avg %s at start, %s now, %s, %s, server %s' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" \
        "${LOAD_AT_START:-?}" "$(cut -d' ' -f1 /proc/loadavg)" \
        "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo cpu?)" \
        "dotnet $(dotnet --version 2>/dev/null)" "${SERVER_REV:-?}"
}

# emit_summary NAME < text: print the summary and keep a copy in bench/results/ (and in
# $BENCH_SUMMARY_FILE when bench/run.sh asks for it).
emit_summary() {
    local name=$1 text
    text=$(cat)
    if [[ -n ${BENCH_SUMMARY_FILE:-} ]]; then
        printf '%s\n' "$text" >"$BENCH_SUMMARY_FILE"
        printf '\n%s\n' "$text" >&2   # bench/run.sh prints it at the end on stdout
    else
        printf '\n%s\n' "$text"
    fi
    printf '%s\n' "$text" >"$RESULTS_DIR/$name-$(date -u +%Y%m%dT%H%M%SZ).txt"
}
