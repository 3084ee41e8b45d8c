#!/usr/bin/env bash
# Writes DuckDB's C library and header to third_party/duckdb/{libduckdb.so,duckdb.h};
# rmg reads and writes Parquet through DuckDB's C API.
#
# Both come from npm (the only registry the build machines reach), at one DuckDB
# version, v1.4.4 (a long-term-support release):
#   - libduckdb.so from @duckdb/node-bindings-linux-x64, which ships the official
#     linux-x64 build with the json and parquet extensions statically linked;
#   - duckdb.h from duckdb (the former Node.js client), which vendors DuckDB's sources;
#     @duckdb/node-bindings ships no header, and duckdb (npm) ends at 1.4.4, so that
#     is the newest version published in both.
# Each tarball is checked against its pinned sha256, and so is each extracted file.
# Idempotent: files that already have the right hashes are left alone, nothing fetched.
set -euo pipefail

readonly LIB_PACKAGE="@duckdb/node-bindings-linux-x64"
readonly LIB_VERSION="1.4.4-r.4"
readonly LIB_TARBALL_SHA256="732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b"
readonly LIB_MEMBER="package/libduckdb.so"
readonly LIB_SHA256="1ef33048e12235115ac0d277a0aaccbb560e33248144f488b5ac005cd9ba81b5"

readonly HEADER_PACKAGE="duckdb"
readonly HEADER_VERSION="1.4.4"
readonly HEADER_TARBALL_SHA256="5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed"
readonly HEADER_MEMBER="package/src/duckdb/src/include/duckdb.h"
readonly HEADER_SHA256="cbe6a827284375c5a646b8f27dbd3a00808ce8738b5bbb49c190cb1e08540281"

root="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="$root/third_party/duckdb"

source "$root/scripts/npm-fetch.sh"
has_hash() { [ -f "$1" ] && [ "$(sha256_of "$1")" = "$2" ]; }

if has_hash "$out_dir/libduckdb.so" "$LIB_SHA256" && has_hash "$out_dir/duckdb.h" "$HEADER_SHA256"; then
  echo "fetch-duckdb: $out_dir is up to date"
  exit 0
fi

for tool in npm tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-duckdb: '$tool' is required" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# fetch PACKAGE VERSION TARBALL_SHA256 MEMBER FILE_SHA256: extracts MEMBER into $tmp.
fetch() {
  local package="$1" version="$2" member="$4" file_sha256="$5"
  local tarball
  tarball="$(npm_fetch_verified fetch-duckdb "$package" "$version" "$3" "$tmp")"
  tar -xzf "$tarball" -C "$tmp" "$member"
  local actual
  actual="$(sha256_of "$tmp/$member")"
  if [ "$actual" != "$file_sha256" ]; then
    echo "fetch-duckdb: $member of $package@$version has sha256 $actual, expected $file_sha256" >&2
    exit 1
  fi
}

fetch "$LIB_PACKAGE" "$LIB_VERSION" "$LIB_TARBALL_SHA256" "$LIB_MEMBER" "$LIB_SHA256"
fetch "$HEADER_PACKAGE" "$HEADER_VERSION" "$HEADER_TARBALL_SHA256" "$HEADER_MEMBER" "$HEADER_SHA256"

mkdir -p "$out_dir"
# Written under temporary names and renamed, so an interrupted run leaves no half file
# with the final name.
cp "$tmp/$LIB_MEMBER" "$out_dir/libduckdb.so.partial"
cp "$tmp/$HEADER_MEMBER" "$out_dir/duckdb.h.partial"
mv "$out_dir/libduckdb.so.partial" "$out_dir/libduckdb.so"
mv "$out_dir/duckdb.h.partial" "$out_dir/duckdb.h"
echo "fetch-duckdb: wrote $out_dir/libduckdb.so and $out_dir/duckdb.h (DuckDB v1.4.4)"
