#!/usr/bin/env bash
# Whole-process timing of `rmg bench rmbench` with rule-based rewards over 1,000
# RM-Bench items (6,000 responses): the shared chat and safety-response files
# (286 items) cycled with fresh unique_ids until there are 1,000.
#
# usage: bench/rmbench_run.sh [RMG_BINARY]       (default: build/release/rmg)
# environment:
#   RUNS=7        timed runs per reward (medians are printed), after one untimed run
#   ITEMS=1000    items in the generated file
#   REWARDS="length_penalty ngram_repetition_penalty reasoning_format"
#
# The time is the wall time of the whole process (start-up, loading, scoring every
# response, the RM-Bench metrics and writing the JSON, Markdown and SVG reports),
# with the CPU time (user + system) beside it. Runs of the rewards are interleaved so the
# noise of a shared machine hits them alike.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
# shellcheck source=bench_lib.sh
source "$script_dir/bench_lib.sh"
rmg=${1:-$repo_dir/build/release/rmg}
shared=$repo_dir/../shared/data/preference
runs=${RUNS:-7}
items=${ITEMS:-1000}
rewards=${REWARDS:-"length_penalty ngram_repetition_penalty reasoning_format"}

require_executable rmbench_run.sh "$rmg"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$shared/rmbench_chat.jsonl" "$shared/rmbench_safety-response.jsonl" "$items" > "$work/items.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for path in sys.argv[1:3] for line in open(path) if line.strip()]
for i in range(int(sys.argv[3])):
    record = dict(records[i % len(records)])
    record["unique_id"] = f"{record['unique_id']}#copy{i // len(records)}"
    print(json.dumps(record))
PY

python3 - "$rmg" "$work" "$runs" "$rewards" <<'PY'
import os, resource, statistics, subprocess, sys, time
rmg, work, runs, rewards = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()

def run(reward):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([rmg, "bench", "rmbench", "--input", f"{work}/items.jsonl", "--reward", reward,
                    "--report", f"{work}/{reward}.json"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

for reward in rewards:
    run(reward)  # untimed: page cache, binary
results = {reward: [] for reward in rewards}
for _ in range(runs):
    for reward in rewards:
        results[reward].append(run(reward))
items = sum(1 for _ in open(f"{work}/items.jsonl"))
print(f"rmg bench rmbench, {items} items, {runs} runs, {os.cpu_count()} cores")
for reward, values in results.items():
    walls = [w for w, _ in values]
    cpus = [c for _, c in values]
    print(f"{reward:28s} wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})"
          f"  CPU median {statistics.median(cpus):.3f} s")
PY
