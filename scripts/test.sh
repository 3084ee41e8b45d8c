#!/usr/bin/env bash
# Installs dependencies, builds the release and the ASan+UBSan presets, and runs
# the whole test suite under both. This is the README's test command and CI's.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

for preset in release asan; do
  echo "== ${preset}: configure and build"
  cmake --preset "${preset}" > /dev/null
  cmake --build --preset "${preset}"
  echo "== ${preset}: tests"
  ctest --preset "${preset}"
done
