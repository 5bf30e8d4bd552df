#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts a local strict S3 server on a free port (data
# kept under ${XDG_DATA_HOME:-~/.local/share}/keystone-console/demo-s3), creates a few demo episodes
# once, and starts the console (desktop window, or --server without a display) against it, registering the demo
# episodes through its local API so live progress shows within seconds. Ctrl-C (or closing the window) stops both.
#   KEYSTONE_BUILD_DIR  build directory (default: build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${KEYSTONE_BUILD_DIR:-build}

scripts/install-deps.sh
scripts/build.sh

console=$build_dir/bin/keystone-console
server=
for candidate in "$build_dir/bin/strict-s3-server" "$build_dir/tests/strict-s3-server" \
    "$build_dir/tests/support/strict-s3-server/strict-s3-server"; do
    if [[ -x $candidate ]]; then
        server=$candidate
        break
    fi
done
if [[ -z $server || ! -x $console ]]; then
    echo "run: keystone-console or strict-s3-server missing in $build_dir" >&2
    exit 1
fi

data_home=${XDG_DATA_HOME:-$HOME/.local/share}/keystone-console
s3_root=$data_home/demo-s3
episodes=$data_home/demo-episodes
bucket=keystone-demo
region=us-east-1
# The strict server's default keys (a local test server; nothing secret).
export AWS_ACCESS_KEY_ID=AKIAKEYSTONETEST
export AWS_SECRET_ACCESS_KEY=keystone-strict-secret
unset AWS_SESSION_TOKEN

# Demo episodes, created once and reused (the marker is written last, so an interrupted run starts over).
if [[ ! -f $episodes/.complete ]]; then
    echo "run: creating demo episodes in $episodes"
    rm -rf "$episodes"
    mkdir -p "$episodes"
    # 1: one ~100 MiB recording: a multipart upload of 13 parts (8 MiB parts).
    head -c $((100 * 1024 * 1024)) /dev/urandom >"$episodes/episode-0001-pick-and-place.mcap"
    # 2: a folder of small files: metadata, joint states, camera frames (one PutObject each).
    ep=$episodes/episode-0002-drawer-open
    mkdir -p "$ep/camera"
    printf '{"robot": "arm-01", "task": "drawer-open", "operator": "demo", "frames": 6}\n' >"$ep/metadata.json"
    awk 'BEGIN { print "t,j1,j2,j3,j4,j5,j6"; for (i = 0; i < 20000; i++)
        printf "%.3f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", i / 100, sin(i/50), cos(i/70), sin(i/90), cos(i/110), sin(i/130), cos(i/150) }' \
        >"$ep/joints.csv"
    for frame in 1 2 3 4 5 6; do
        head -c $((512 * 1024)) /dev/urandom >"$ep/camera/frame-$frame.jpg"
    done
    # 3: a folder with a 24 MiB stream and its index (one multipart upload, one PutObject).
    ep=$episodes/episode-0003-stack-blocks
    mkdir -p "$ep"
    head -c $((24 * 1024 * 1024)) /dev/urandom >"$ep/depth.bin"
    printf '{"robot": "arm-02", "task": "stack-blocks", "streams": ["depth"]}\n' >"$ep/index.json"
    touch "$episodes/.complete"
fi

# Local strict S3 server on a free port; it prints "listening on http://127.0.0.1:PORT" when ready.
mkdir -p "$s3_root"
server_log=$(mktemp -t keystone-demo-s3.XXXXXX)
"$server" --root "$s3_root" --port 0 --bucket "$bucket" >"$server_log" 2>&1 &
server_pid=$!
stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    rm -f "$server_log"
}
trap stop_server EXIT

endpoint=
for ((i = 0; i < 200; i++)); do
    endpoint=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$server_log" | head -n 1 || true)
    [[ -n $endpoint ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [[ -z $endpoint ]]; then
    echo "run: the S3 server did not start:" >&2
    cat "$server_log" >&2
    exit 1
fi
echo "run: S3 server $endpoint (data: $s3_root)"

# The console itself: the desktop window when there is a display, --server otherwise. Its catalog lives in
# the demo data directory, so episodes registered here resume where they stopped on the next run.
console_data=$data_home/demo-console
console_log=$(mktemp -t keystone-demo-console.XXXXXX)
mode=()
if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-}${QT_QPA_PLATFORM:-} ]]; then
    mode=(--server)
    echo "run: no display; starting keystone-console --server (Ctrl-C stops it)"
fi
"$console" "${mode[@]}" --data-dir "$console_data" --listen 127.0.0.1:0 --endpoint "$endpoint" --path-style \
    --region "$region" --bucket "$bucket" >"$console_log" 2>&1 &
console_pid=$!
stop_all() {
    kill "$console_pid" 2>/dev/null || true
    wait "$console_pid" 2>/dev/null || true
    rm -f "$console_log"
    stop_server
}
trap stop_all EXIT
trap 'exit 130' INT TERM

api=
for ((i = 0; i < 300; i++)); do
    api=$(grep -o 'http://127\.0\.0\.1:[0-9]*/api/v1' "$console_log" | head -n 1 || true)
    [[ -n $api ]] && break
    kill -0 "$console_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z $api ]]; then
    echo "run: the console did not start:" >&2
    cat "$console_log" >&2
    exit 1
fi
token=$(cat "$console_data/api-token")
echo "run: console API $api (token in $console_data/api-token)"

# Register the demo episodes through the API (an episode registered by an earlier run answers 409: fine).
ids=()
for path in "$episodes"/episode-*; do
    name=$(basename "$path")
    reply=$(curl -sS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"path\": \"$path\", \"name\": \"$name\"}" "$api/episodes" || true)
    id=$(sed -n 's/.*"episode_id":\([0-9]*\).*/\1/p' <<<"$reply")
    [[ -n $id ]] && ids+=("$id") && echo "run: registered $name as episode $id"
done

if ((${#mode[@]} > 0)); then
    # Headless: show the same status the console's table would, until every new episode is done.
    if ((${#ids[@]} > 0)); then
        query=$(IFS=,; echo "${ids[*]}")
        while kill -0 "$console_pid" 2>/dev/null; do
            statuses=$(curl -sS -H "Authorization: Bearer $token" "$api/sync/episode-statuses?ids=$query" || true)
            summary=$(grep -o '"episode_id":[0-9]*\|"percent":[0-9.]*\|"status":"[a-z_]*"' <<<"$statuses" | tr '\n' ' ')
            echo "run: $summary"
            grep -q '"status":"\(pending\|in_progress\)"' <<<"$statuses" || break
            sleep 1
        done
    fi
    echo "run: the console keeps serving $api; Ctrl-C stops it"
fi
wait "$console_pid" || true
