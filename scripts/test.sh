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

# Fuzz the model-file readers for a bounded time in a clang/libFuzzer build tree of its own (only
# engine/core + engine/io are built there). A crash, a sanitizer report or an uncaught exception
# makes the fuzzer exit non-zero, which fails this script; the input is kept under build/fuzz/artifacts.
fuzz_dir=build/fuzz
fuzz_seconds=${LINEA_FUZZ_SECONDS:-60}
CC=clang CXX=clang++ cmake -S . -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLINEA_FUZZ=ON -DLINEA_BUILD_TESTS=OFF
cmake --build "$fuzz_dir" --target fuzz_safetensors fuzz_gguf -j "$jobs"
mkdir -p "$fuzz_dir/artifacts"
for format in safetensors gguf; do
  corpus="$fuzz_dir/corpus/$format"  # a working copy: libFuzzer adds what it finds to it
  mkdir -p "$corpus"
  cp fuzz/corpus/"$format"/* "$corpus"/
  "$fuzz_dir/bin/fuzz_$format" -max_total_time="$fuzz_seconds" -print_final_stats=1 \
    -artifact_prefix="$fuzz_dir/artifacts/$format-" "$corpus"
done
