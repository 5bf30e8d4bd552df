#!/usr/bin/env bash
# Installs everything Keystone Console needs to build, test and run on Debian 12, the pinned s3rver test
# server (npm ci in tests/s3rver) and the pinned ali-oss client (npm ci in tests/ossclient).
# Idempotent: when nothing is missing it only checks
# (no apt-get, no network) and finishes in about a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
    # toolchain (a fresh Debian 12 has none of these)
    build-essential cmake ninja-build pkg-config git
    # libraries
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev libqt6svg6
    libqt6sql6-sqlite libcurl4-openssl-dev libssl-dev libgl-dev
    # translations: lupdate/lrelease (qt6-l10n-tools) and their CMake package (qt6-tools-dev) build the .qm files;
    # Qt's own translations (qtbase_zh_CN.qm: standard buttons and dialogs) come with qt6-translations-l10n
    qt6-l10n-tools qt6-tools-dev qt6-translations-l10n
    # zlib: the strict test server's CRC-32 (x-amz-checksum-crc32 answers, --quirk checksum-headers)
    zlib1g-dev
    # tests and tools: aws cli (interop proof), format check, /usr/bin/time, headless GUI, keyring, xxd (the aws cli
    # interop script turns hex digests into bytes with it)
    awscli clang-format time xvfb xauth fonts-dejavu-core dbus gnome-keyring curl xxd
    # packaging: dpkg-shlibdeps for cpack, the validators of the package test (systemd-analyze; its verify runs
    # man for the units' Documentation=man:…, so man-db)
    dpkg-dev desktop-file-utils appstream file groff-base systemd man-db
    # the fleet view's checks (tst_prometheus): promtool comes with Debian's Prometheus server package
    prometheus
)
# Node runs s3rver and ali-oss; any recent node will do, so Debian's is installed only when none is on PATH.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

# One dpkg-query for all (unknown packages only produce a message on stderr).
declare -A installed=()
while read -r package state; do
    if [[ $state == "install ok installed" ]]; then
        installed[${package%%:*}]=1
    fi
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for package in "${packages[@]}"; do
    if [[ -z ${installed[$package]:-} ]]; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "install-deps: installing ${missing[*]}"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# npm packages exactly as pinned by their committed package-lock.json. npm keeps node_modules/.package-lock.json
# in step with what it installed: reinstall when it is missing or older than the committed lock file, or when
# the package's entry file is gone. The environment is kept as it is: registry TLS may depend on it
# (NODE_EXTRA_CA_CERTS and friends).
npm_ci_pinned() {
    local dir=$1 entry=$2
    local installed_lock=$dir/node_modules/.package-lock.json
    if [[ ! -f $installed_lock || $dir/package-lock.json -nt $installed_lock || ! -f $dir/node_modules/$entry ]]; then
        echo "install-deps: npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund)
    fi
}
npm_ci_pinned tests/s3rver s3rver/bin/s3rver.js # the third-party S3 test server
npm_ci_pinned tests/ossclient ali-oss/lib/client.js # Alibaba's OSS SDK, the oss dialect's independent client
