#!/usr/bin/env bash
# Renders the main window offscreen at 1280 × 720 with uploads in several states (a real engine against the strict
# S3 test server) into docs/: screenshot.png (light), screenshot-dark.png (a dark palette), screenshot-zh_CN.png
# (the Chinese translation) and screenshot-details.png (a paused folder episode selected: the details pane).
# Usage: scripts/screenshot.sh [build dir] (default: build). Not part of the tests; the Chinese one needs a CJK
# font (fonts-wqy-microhei, installed here when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
if [[ ! -f $build_dir/build.ninja && ! -f $build_dir/Makefile ]]; then
    cmake -S . -B "$build_dir" -G Ninja
fi
cmake --build "$build_dir" --target ui-screenshot strict-s3-server keystone-console
if ! dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed"; then
    sudo=()
    [[ $(id -u) -ne 0 ]] && sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-microhei
fi
shot="$build_dir/tests/ui-screenshot"
translations=$(find "$build_dir" -name 'keystone_zh_CN.qm' -printf '%h\n' -quit)
export QT_QPA_PLATFORM=offscreen
"$shot" docs/screenshot.png
"$shot" docs/screenshot-dark.png --dark
"$shot" docs/screenshot-details.png --details
LANG=zh_CN.UTF-8 "$shot" docs/screenshot-zh_CN.png --translations "$translations" --locale zh_CN
