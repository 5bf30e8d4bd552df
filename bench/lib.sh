#!/usr/bin/env bash
# Shared helpers of the bench/ scripts (sourced, not run). Not part of the test suite.
# Callers set BENCH_WORK (a scratch directory) before using them.
# shellcheck disable=SC2034 # the constants are used by the scripts that source this file

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${KEYSTONE_BUILD_DIR:-$REPO_DIR/build}
CONSOLE_BIN=$BUILD_DIR/bin/keystone-console
SERVER_BIN=$BUILD_DIR/bin/strict-s3-server
# The strict server's built-in keys (tests/support/strict-s3-server/README.md).
BENCH_KEY=AKIAKEYSTONETEST
BENCH_SECRET=keystone-strict-secret
BENCH_BUCKET=bench
MiB=$((1024 * 1024))

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# Installs the Debian packages given when any is missing (apt-get only then; sudo when not root).
ensure_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]}"
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Builds keystone-console and the strict server (RelWithDebInfo, scripts/build.sh) unless both exist.
ensure_built() {
    [[ -x $CONSOLE_BIN && -x $SERVER_BIN ]] && return 0
    log "building keystone-console (scripts/build.sh)"
    KEYSTONE_BUILD_DIR=$BUILD_DIR "$REPO_DIR/scripts/build.sh" >&2
}

# wait_for_line FILE REGEX [SECONDS]: prints the first line of FILE matching REGEX once it appears.
wait_for_line() {
    local file=$1 regex=$2 deadline=$((SECONDS + ${3:-30})) line
    while ((SECONDS < deadline)); do
        line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
        if [[ -n $line ]]; then
            printf '%s\n' "$line"
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# start_discard_server NAME: strict-s3-server --discard with bucket "bench" on a free port.
# Sets SERVER_PID and ENDPOINT. stop_pid stops it (by PID). BENCH_SERVER_NICE (default 0) runs it at that nice
# value: the latency benches use 19, so the stand-in for a remote storage does not take the cores a real one
# would not (on a station the server is elsewhere; what competes for the cores is the console's own threads).
start_discard_server() {
    local name=${1:-server}
    mkdir -p "$BENCH_WORK/$name-root"
    nice -n "${BENCH_SERVER_NICE:-0}" "$SERVER_BIN" --discard --root "$BENCH_WORK/$name-root" --bucket "$BENCH_BUCKET" \
        >"$BENCH_WORK/$name.out" 2>"$BENCH_WORK/$name.err" &
    SERVER_PID=$!
    local line
    line=$(wait_for_line "$BENCH_WORK/$name.out" '^listening on http://127\.0\.0\.1:[0-9]+$' 20) ||
        die "strict-s3-server did not start: $(cat "$BENCH_WORK/$name.err")"
    ENDPOINT=${line#listening on }
    log "discard server pid $SERVER_PID at $ENDPOINT"
}

stop_pid() {
    local pid=$1
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# timed OUTFILE command...: runs the command under /usr/bin/time -v; prints "wall_s cpu_s rss_mib" and
# fails when the command failed (its output is in OUTFILE.log).
timed() {
    local out=$1
    shift
    if ! /usr/bin/time -v -o "$out.time" "$@" >"$out.log" 2>&1; then
        log "command failed: $* (see $out.log)"
        tail -5 "$out.log" >&2
        return 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + t[i] }
        /User time \(seconds\)/ { user = $2 }
        /System time \(seconds\)/ { sys = $2 }
        /Maximum resident set size/ { rss = $2 / 1024 }
        END { printf "%.2f %.2f %.1f\n", wall, user + sys, rss }' "$out.time"
}

# Load average over the last minute (the figures are only comparable when the machine is quiet).
load1() { cut -d' ' -f1 /proc/loadavg; }

# Machine description for the reports.
describe_machine() {
    echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; memory $(free -g | awk '/^Mem:/{print $2}') GiB"
    echo "- Kernel $(uname -r); $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "- Qt $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null), libcurl $(dpkg-query -W -f='${Version}' libcurl4 2>/dev/null), OpenSSL $(openssl version | cut -d' ' -f2)"
    echo "- Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
