#!/usr/bin/env bash
# Whole-process time and peak memory of `rmg eval` reading the same samples as JSONL,
# as a JSON array and as Parquet, for one or more binaries (to compare two builds in
# the same sitting).
#
# usage: bench/input_formats.sh RMG_BINARY [RMG_BINARY ...]
# environment:
#   RUNS=3          rounds; each round runs every binary on every format, in turn
#   COUNT=100000    samples: rule_workload.jsonl repeated with unique ids
#   REWARD=length_penalty
#   WORKERS=2
#
# The inputs are written once (the JSON array and the Parquet file by the first
# binary's `rmg convert`) to a temporary directory that is removed at the end. Each
# run is `/usr/bin/time -f "%e %M"`: wall seconds and maximum resident set size (a
# memory-mapped input counts as its pages are read). Per binary and format the
# medians of the rounds are printed, and whether every output equals the JSONL one.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
# shellcheck source=bench_lib.sh
source "$script_dir/bench_lib.sh"
if [[ $# -eq 0 ]]; then
  echo "usage: bench/input_formats.sh RMG_BINARY [RMG_BINARY ...]" >&2
  exit 2
fi
for binary in "$@"; do require_executable input_formats.sh "$binary"; done
workload=${RMG_BENCH_WORKLOAD:-$repo_dir/../shared/data/bench/rule_workload.jsonl}
require_readable input_formats.sh "$workload"
runs=${RUNS:-3}
count=${COUNT:-100000}
reward=${REWARD:-length_penalty}
workers=${WORKERS:-2}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$script_dir/repeat_workload.py" "$workload" "$work/in.jsonl" "$count"
"$1" convert -i "$work/in.jsonl" -o "$work/in.json" 2>/dev/null
"$1" convert -i "$work/in.jsonl" -o "$work/in.parquet" 2>/dev/null
echo "inputs: $(stat -c %s "$work/in.jsonl") B JSONL, $(stat -c %s "$work/in.json") B JSON, $(stat -c %s "$work/in.parquet") B Parquet"

for ((round = 1; round <= runs; ++round)); do
  for ((b = 1; b <= $#; ++b)); do
    for format in jsonl json parquet; do
      /usr/bin/time -f "%e %M" -o "$work/time" "${!b}" eval -r "$reward" -w "$workers" \
        -i "$work/in.$format" -o "$work/out.$b.$format.jsonl" 2>/dev/null
      echo "$b $format $(cat "$work/time")" >> "$work/times"
      if cmp -s "$work/out.$b.$format.jsonl" "$work/out.$b.jsonl.jsonl"; then
        echo "$b $format" >> "$work/same"
      fi
    done
  done
done

/usr/bin/python3 - "$work/times" "$work/same" "$@" <<'EOF'
import statistics, sys
times, same, binaries = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = {}
for line in open(times):
    b, fmt, wall, rss = line.split()
    rows.setdefault((int(b), fmt), []).append((float(wall), int(rss)))
matches = {}
for line in open(same):
    b, fmt = line.split()
    matches[(int(b), fmt)] = matches.get((int(b), fmt), 0) + 1
print("| binary | input | wall s (median) | max RSS KB (median) | output = JSONL's |")
print("|---|---|---:|---:|---|")
for (b, fmt), values in sorted(rows.items()):
    wall = statistics.median(v[0] for v in values)
    rss = statistics.median(v[1] for v in values)
    print(f"| {binaries[b - 1]} | {fmt} | {wall:.2f} | {rss:,.0f} | {'yes' if matches.get((b, fmt)) == len(values) else 'no'} |")
EOF
