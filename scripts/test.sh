#!/usr/bin/env bash
# Configures, builds and runs the whole test suite (the README's test command calls this after
# install-deps.sh). Usage: scripts/test.sh [preset]   (default: ci; also release, debug, asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-ci}
jobs=$(nproc)

cmake --preset "$preset"
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
