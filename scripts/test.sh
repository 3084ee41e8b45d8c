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
  # Two tests at a time (the machine has 2 cores): the suite was run so, release and ASan,
  # before this was turned on; it keeps CI well inside its 30 minutes.
  ctest --preset "${preset}" -j2
done
