#!/usr/bin/env bash
# Optional real-server run (issue 18; not part of CI or ctest's default run): starts a one-node Ceph cluster from
# Debian 12's own packages on 127.0.0.1 (a monitor, a memstore OSD, a manager and radosgw with the beast frontend),
# creates an S3 user and one bucket per suite, and runs the upload, sync-engine and resume suites against it through
# S3ServerProcess's external mode (KEYSTONE_TEST_S3_*). Tests that need what only strict-s3-server has (faults,
# statistics, quirks, the OSS dialect, TLS) skip there with the reason. Prints a summary; exits non-zero when a test
# fails. Everything (daemons, temporary directory) is removed on exit.
#
#   scripts/realserver/radosgw.sh [--build-dir DIR] [SUITE...]
#   scripts/realserver/radosgw.sh --serve     # start the cluster, print the KEYSTONE_TEST_S3_* settings, wait
#
# SUITE defaults to: tst_multipartupload tst_syncengine tst_crashrecovery tst_goneupload (built beforehand in the build directory,
# default ./build; the script builds them with cmake when missing). Output of each suite: $RESULTS_DIR (default
# build/realserver-radosgw) SUITE.txt. Needs root or sudo only to install the packages when they are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD

build_dir=$repo/build
suites=()
serve=0
while (($# > 0)); do
    case $1 in
    --build-dir) build_dir=$(realpath "$2"); shift 2 ;;
    --serve) serve=1; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) suites+=("$1"); shift ;;
    esac
done
((${#suites[@]} > 0)) || suites=(tst_multipartupload tst_syncengine tst_crashrecovery tst_goneupload)
results_dir=${RESULTS_DIR:-$build_dir/realserver-radosgw}

log() { printf 'radosgw.sh: %s\n' "$*" >&2; }

# --- packages (Debian 12: ceph 16.2) ---------------------------------------------------------------------------
packages=(ceph-mon ceph-osd ceph-mgr radosgw)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]}"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- the test programs --------------------------------------------------------------------------------------------
need_build=()
((serve)) && suites=()
for suite in "${suites[@]}"; do
    [[ -x $build_dir/tests/$suite ]] || need_build+=("$suite")
done
if ((${#need_build[@]} > 0 && !serve)); then
    log "building ${need_build[*]}"
    cmake --build "$build_dir" --target "${need_build[@]}" strict-s3-server keystone-console
fi

# --- a one-node cluster in a temporary directory ------------------------------------------------------------------
work=$(mktemp -d /tmp/keystone-radosgw-XXXXXX)
pids=()
cleanup() {
    local status=$?
    # Only the daemons this script started, by PID: SIGTERM, then SIGKILL for any that linger.
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mon_port=$(free_port)
rgw_port=$(free_port)
fsid=$(uuidgen)
conf=$work/ceph.conf
mkdir -p "$work"/{mon,osd,mgr,rgw,run,log}
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$mon_port
public network = 127.0.0.1/32
auth cluster required = none
auth service required = none
auth client required = none
keyring = $work/keyring
run dir = $work/run
admin socket = $work/run/\$name.asok
log file = $work/log/\$name.log
pid file = $work/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
[mon.a]
mon data = $work/mon
[osd.0]
osd data = $work/osd
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-6442450944}
osd max object name len = 460
osd max object namespace len = 64
[mgr.x]
mgr data = $work/mgr
[client.rgw]
rgw data = $work/rgw
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw dns name = 127.0.0.1
CONF
ceph_cmd=(ceph -c "$conf" --connect-timeout 20)

started=$(date +%s)
log "cluster in $work (mon 127.0.0.1:$mon_port, radosgw 127.0.0.1:$rgw_port)"
ceph-authtool --create-keyring "$work/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$work/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mgr 'allow *' >/dev/null
monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$mon_port]" "$work/monmap" >/dev/null
ceph-mon -c "$conf" -i a --mkfs --monmap "$work/monmap" --keyring "$work/keyring" >/dev/null
ceph-mon -c "$conf" -i a -f >"$work/log/mon.out" 2>&1 &
pids+=($!)
"${ceph_cmd[@]}" -s >/dev/null

# The OSD is registered with the uuid its store ended up with (memstore may keep one of its own).
osd_id=0
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$(uuidgen)" >"$work/log/osd-mkfs.out" 2>&1
"${ceph_cmd[@]}" osd new "$(cat "$work/osd/fsid")" "$osd_id" >/dev/null
ceph-osd -c "$conf" -i "$osd_id" -f >"$work/log/osd.out" 2>&1 &
pids+=($!)
ceph-mgr -c "$conf" -i x -f >"$work/log/mgr.out" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    "${ceph_cmd[@]}" osd stat 2>/dev/null | grep -q '1 up' && break
    sleep 0.2
done
"${ceph_cmd[@]}" osd stat | grep -q '1 up' || { log "the OSD did not come up"; tail -20 "$work/log/osd.out"; exit 1; }

radosgw -c "$conf" -n client.rgw -f >"$work/log/rgw.out" 2>&1 &
pids+=($!)
for _ in $(seq 600); do
    curl -s -o /dev/null "http://127.0.0.1:$rgw_port/" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { log "radosgw exited"; tail -30 "$work/log/rgw.out"; exit 1; }
    sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$rgw_port/" || { log "radosgw does not answer"; exit 1; }

access_key=KEYSTONERGWTEST
secret_key=keystone-rgw-secret-$(uuidgen | tr -d -)
radosgw-admin -c "$conf" -n client.admin user create --uid keystone --display-name "Keystone test" \
    --access-key "$access_key" --secret-key "$secret_key" >/dev/null
region=us-east-1
version=$(radosgw --version | awk '{print $3}')
log "radosgw $version ready after $(($(date +%s) - started)) s"

create_bucket() {
    # radosgw wants the payload hash header, which curl 7.88 does not add by itself (it signs it when given).
    curl -sS -f -o /dev/null -X PUT --aws-sigv4 "aws:amz:$region:s3" --user "$access_key:$secret_key" \
        -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
        "http://127.0.0.1:$rgw_port/$1"
}

if ((serve)); then
    create_bucket keystone-test
    echo "export KEYSTONE_TEST_S3_ENDPOINT=http://127.0.0.1:$rgw_port KEYSTONE_TEST_S3_ACCESS_KEY=$access_key" \
        "KEYSTONE_TEST_S3_SECRET_KEY=$secret_key KEYSTONE_TEST_S3_BUCKET=keystone-test KEYSTONE_TEST_S3_REGION=$region"
    log "serving until interrupted (Ctrl-C stops and removes the cluster)"
    while kill -0 "${pids[-1]}" 2>/dev/null; do sleep 1; done
    exit 1
fi

# --- the suites ----------------------------------------------------------------------------------------------------
mkdir -p "$results_dir"
summary=()
failed=0
for suite in "${suites[@]}"; do
    bucket=keystone-${suite//_/-}
    create_bucket "$bucket"
    log "running $suite against radosgw (bucket $bucket)"
    output=$results_dir/$suite.txt
    set +e
    KEYSTONE_TEST_S3_ENDPOINT=http://127.0.0.1:$rgw_port KEYSTONE_TEST_S3_ACCESS_KEY=$access_key \
        KEYSTONE_TEST_S3_SECRET_KEY=$secret_key KEYSTONE_TEST_S3_BUCKET=$bucket KEYSTONE_TEST_S3_REGION=$region \
        KEYSTONE_CRASH_TRIALS=${KEYSTONE_CRASH_TRIALS:-3} \
        timeout 1200 "$build_dir/tests/$suite" -o "$output,txt" -o -,txt >/dev/null 2>&1
    rc=$?
    set -e
    totals=$(grep -E '^Totals:' "$output" | tail -1)
    [[ -n $totals ]] || totals="no totals (exit $rc)"
    summary+=("$suite: $totals")
    ((rc == 0)) || failed=1
    skipped=$(grep -cE '^SKIP ' "$output" || true)
    ((skipped == 0)) || summary+=("    $skipped skipped (need what only strict-s3-server offers, or other servers' rows)")
    # Each failure: the test, its message, and the first Actual/Expected pair under it.
    while IFS= read -r line; do summary+=("    $line"); done < <(
        awk '/^FAIL! / { sub(/^FAIL! +: +/, "FAIL "); print substr($0, 1, 220); failing = 1; shown = 0; next }
             /^[A-Z!]+ +: / { failing = 0 }
             failing && shown < 2 && /^ +(Actual|Expected) / { gsub(/ +/, " "); print " "  substr($0, 1, 220); shown++ }' \
            "$output")
done

echo
echo "=== Keystone Console against Ceph radosgw $version (127.0.0.1:$rgw_port) ==="
printf '%s\n' "${summary[@]}"
echo "(full output: $results_dir)"
exit "$failed"
