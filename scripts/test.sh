#!/usr/bin/env bash
# The whole check, as CI runs it: dependencies, a -Werror build, the format check and every test
# (unit, integration against the strict server and s3rver, aws cli proof). Non-zero on any failure.
#   KEYSTONE_BUILD_DIR  build directory (default: build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${KEYSTONE_BUILD_DIR:-build}

scripts/install-deps.sh
KEYSTONE_WERROR=ON scripts/build.sh

status=0

echo "test: clang-format check"
mapfile -d '' sources < <(find app engine ui tests bench \
    -type d \( -name node_modules -o -name 'build*' \) -prune -o \
    -type f \( -name '*.cpp' -o -name '*.h' \) -print0 2>/dev/null | sort -z)
if ((${#sources[@]} > 0)); then
    if ! clang-format --dry-run -Werror "${sources[@]}"; then
        echo "test: formatting differs from .clang-format (fix: clang-format -i FILE...)" >&2
        status=1
    fi
fi

echo "test: ctest"
ctest --test-dir "$build_dir" --output-on-failure -j2 || status=1

if ((status != 0)); then
    echo "test: FAILED" >&2
fi
exit "$status"
