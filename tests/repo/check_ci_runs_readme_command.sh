#!/usr/bin/env bash
# CI must run exactly the test command the README gives users (its second command line).
set -euo pipefail
root=$1
readme_command=$(grep -m1 -A1 '^# Install, build and run the whole test suite' "$root/README.md" | sed -n 2p)
[ -n "$readme_command" ] || { echo "README.md: no test command under '# Install, build and run the whole test suite'"; exit 1; }
if ! grep -qxF "$readme_command" "$root/.ci/run"; then
  echo ".ci/run does not run the README's test command: $readme_command"
  exit 1
fi
echo "ok: .ci/run runs '$readme_command'"
