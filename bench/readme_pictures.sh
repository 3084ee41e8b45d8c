#!/usr/bin/env bash
# Regenerates the report pictures in docs/bench/ that the README shows, with the
# commands the README gives: RM-Bench, JudgeBench and conflict detection on the
# development data in ../shared/data/preference, the other benchmarks on the
# example files in examples/bench. The reward is response length (length_penalty
# with a minimum no response reaches), a deliberately naive reward model.
#
# usage: bench/readme_pictures.sh [RMG_BINARY]      (default: build/release/rmg)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
rmg=${1:-$repo_dir/build/release/rmg}
shared=$repo_dir/../shared/data/preference
out=$repo_dir/docs/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
length=(--reward length_penalty --param min_length=1000000 --param max_length=2000000)

mkdir -p "$work/rmbench" "$out"
cp "$shared/rmbench_chat.jsonl" "$shared/rmbench_safety-response.jsonl" "$work/rmbench/"

run() {  # run NAME ARGS...: rmg bench NAME ARGS, picture to docs/bench/NAME.svg
  local name=$1
  shift
  "$rmg" bench "$@" "${length[@]}" --report "$work/$name.json" >/dev/null 2>&1
  cp "$work/$name.svg" "$out/$name.svg"
}
run rmbench rmbench --input "$work/rmbench"
run judgebench judgebench --input "$shared/judgebench_claude.jsonl"
run conflict conflict --input "$work/rmbench"
run rewardbench rewardbench --from rewardbench --input "$repo_dir/examples/bench/rewardbench_sample.jsonl"
run rewardbench2 rewardbench2 --from rewardbench2 --input "$repo_dir/examples/bench/rewardbench2_sample.jsonl"
run rmb rmb --from rmb_pairwise --input "$repo_dir/examples/bench/rmb_pairwise_sample.jsonl"
run majority majority --input "$repo_dir/examples/bench/majority_sample.jsonl"
ls "$out"
