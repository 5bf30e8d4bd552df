#!/usr/bin/env bash
# Configures and builds Keystone Console into build/ (Ninja, RelWithDebInfo).
#   KEYSTONE_BUILD_DIR  build directory (default: build)
#   KEYSTONE_WERROR=ON  warnings are errors (scripts/test.sh and CI set it). Unset: the build directory
#                       keeps what it had, so run.sh after test.sh does not rebuild everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build_dir=${KEYSTONE_BUILD_DIR:-build}
configure=(-S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ -n ${KEYSTONE_WERROR:-} ]]; then
    configure+=("-DKEYSTONE_WERROR=$KEYSTONE_WERROR")
elif [[ -n ${CI:-} ]]; then
    configure+=(-DKEYSTONE_WERROR=ON)
fi

cmake "${configure[@]}"
cmake --build "$build_dir" -j"$(nproc)"
