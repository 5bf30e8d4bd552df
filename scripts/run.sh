#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts a local strict S3 server on a free port (data
# kept under ${XDG_DATA_HOME:-~/.local/share}/keystone-console/demo-s3), creates a few demo episodes
# once, uploads them with `keystone-console upload`, and stops the server again.
#   KEYSTONE_BUILD_DIR  build directory (default: build)
#
# NOTE for the desktop-console issue: this script then starts the console itself against the same
# local server instead of the upload loop below: `keystone-console` when a display is available
# ($DISPLAY or $WAYLAND_DISPLAY), `keystone-console --server` when there is none, keeping the S3 server
# running until the console exits. The server start, the episodes and the cleanup trap stay as they are.
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

for path in "$episodes"/episode-*; do
    name=$(basename "$path")
    echo "run: uploading $name -> s3://$bucket/episodes/$name"
    "$console" upload --endpoint "$endpoint" --path-style --region "$region" \
        "$path" "s3://$bucket/episodes/$name"
done

echo "run: done. Episodes: $episodes; stored objects: $s3_root"
