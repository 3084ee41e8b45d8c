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
# measured with bash's EPOCHREALTIME. Runs of the rewards are interleaved so the
# noise of a shared machine hits them alike.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
rmg=${1:-$repo_dir/build/release/rmg}
shared=$repo_dir/../shared/data/preference
runs=${RUNS:-7}
items=${ITEMS:-1000}
rewards=${REWARDS:-"length_penalty ngram_repetition_penalty reasoning_format"}

if [[ ! -x $rmg ]]; then
  echo "rmbench_run.sh: $rmg is not an executable (build it, or pass the binary)" >&2
  exit 2
fi
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

for reward in $rewards; do
  "$rmg" bench rmbench --input "$work/items.jsonl" --reward "$reward" --report "$work/warm.json" >/dev/null 2>&1
done
declare -A times
for ((run = 0; run < runs; run++)); do
  for reward in $rewards; do
    start=$EPOCHREALTIME
    "$rmg" bench rmbench --input "$work/items.jsonl" --reward "$reward" --report "$work/$reward.json" \
      >/dev/null 2>"$work/$reward.err"
    end=$EPOCHREALTIME
    times[$reward]+="$(python3 -c "print($end - $start)") "
  done
done
echo "rmg bench rmbench, $items items ($(wc -l < "$work/items.jsonl") lines), $runs runs, $(nproc) cores"
for reward in $rewards; do
  python3 - "$reward" ${times[$reward]} <<'PY'
import statistics, sys
values = sorted(float(v) for v in sys.argv[2:])
print(f"{sys.argv[1]:28s} median {statistics.median(values):.3f} s  (min {values[0]:.3f}, max {values[-1]:.3f})")
PY
done
