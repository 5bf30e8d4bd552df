#!/usr/bin/env bash
# Renders the main window offscreen with uploads in several states (a real engine against the strict S3 test
# server) and writes docs/screenshot.png. Usage: scripts/screenshot.sh [build dir] (default: build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${1:-build}
if [[ ! -f $build_dir/build.ninja && ! -f $build_dir/Makefile ]]; then
    cmake -S . -B "$build_dir" -G Ninja
fi
cmake --build "$build_dir" --target ui-screenshot strict-s3-server
QT_QPA_PLATFORM=offscreen "$build_dir/tests/ui-screenshot" docs/screenshot.png
