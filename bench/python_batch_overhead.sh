#!/usr/bin/env bash
# The Python package's batch overhead: `rmg eval` against rm_gallery's
# NativeReward.evaluate_batch on the same 10,000 samples, same reward, same
# parameters, 2 worker threads each (issue: the batch call may cost at most 2x
# the pure C++ `rmg eval`).
#
# usage: bench/python_batch_overhead.sh [RMG_BINARY]   (default: build/release/rmg)
# environment:
#   RUNS=5            timed runs per side and reward (after one untimed run of each)
#   SAMPLES=10000     samples in the input
#   WORKERS=2         rmg eval --workers and evaluate_batch(max_workers=...)
#   REWARDS="length_penalty f1_score:tokenizer_type=simple rouge:tokenizer_type=simple"
#                     NAME[:KEY=VALUE,...]; parameters go to both sides
#   RMG_BENCH_WORKLOAD=../shared/data/bench/rule_workload.jsonl   records to repeat
#   PYTHON=/usr/bin/python3, RMG_PYTHONPATH=build/release/python (the built package)
#
# What is timed:
#   (a) rmg eval  the whole process, start to exit (bash's `time`): read and parse
#                 the JSONL file, score, write JSONL to /dev/null. --timeout 0, as
#                 evaluate_batch sets no deadline.
#   (b) Python    only the call reward.evaluate_batch(samples, max_workers=WORKERS),
#                 in a process that first read the same file into DataSample objects
#                 (bench/python_batch_overhead.py; that load time is printed too,
#                 but not compared).
#   (c) the same, through the route evaluate_batch took before python/src/model_json.cc
#                 (JSON text made and read in Python; python_batch_overhead.py --json-text).
# The runs alternate a, b, c, a, b, c, ... so that a shared machine's noise hits both
# sides alike; the medians and the ratios median(b) / median(a), median(c) / median(a)
# are printed.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
# shellcheck source=bench_lib.sh
source "$script_dir/bench_lib.sh"
rmg=${1:-$repo_dir/build/release/rmg}
workload=${RMG_BENCH_WORKLOAD:-$repo_dir/../shared/data/bench/rule_workload.jsonl}
runs=${RUNS:-5}
count=${SAMPLES:-10000}
workers=${WORKERS:-2}
rewards=${REWARDS:-"length_penalty f1_score:tokenizer_type=simple rouge:tokenizer_type=simple"}
python=${PYTHON:-/usr/bin/python3}
export PYTHONPATH=${RMG_PYTHONPATH:-$repo_dir/build/release/python}

require_executable python_batch_overhead.sh "$rmg"
require_readable python_batch_overhead.sh "$workload"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/rmg_pybatch.XXXXXX")
trap 'rm -rf "$work_dir"' EXIT
input=$work_dir/workload_${count}.jsonl
"$python" "$script_dir/repeat_workload.py" "$workload" "$input" "$count"

# (a) One `rmg eval` process; prints "<wall s> <user+sys CPU s>".
run_rmg() {
  local reward=$1 log=$work_dir/rmg.log times=$work_dir/times.txt status=0 args=()
  local TIMEFORMAT='%3R %3U %3S' param
  shift
  for param in "$@"; do args+=(--param "$param"); done
  { time "$rmg" eval --reward "$reward" "${args[@]}" --input "$input" --output /dev/null \
      --workers "$workers" --timeout 0 --no-progress 2>"$log" ; } 2>"$times" || status=$?
  if ((status != 0)); then
    echo "python_batch_overhead.sh: rmg eval --reward $reward failed (exit $status):" >&2
    cat "$log" >&2
    exit 1
  fi
  local wall user sys
  read -r wall user sys <"$times"
  echo "$wall $(echo "$user + $sys" | bc -l)"
}

# (b), (c) One Python process (arguments: python_batch_overhead.py's); prints
# "<load s> <batch wall s> <batch CPU s> <samples>".
run_python() {
  "$python" "$script_dir/python_batch_overhead.py" "$@" || {
    echo "python_batch_overhead.sh: the Python run python_batch_overhead.py $* failed" >&2
    exit 1
  }
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
median_of() { tr ' ' '\n' <<<"$1" | grep . | median; }

echo "rmg:      $rmg ($(git -C "$repo_dir" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "python:   $python ($("$python" -c 'import platform; print(platform.python_version())'))"
echo "input:    $count samples, $(($(stat -c %s "$input") / 1024 / 1024)) MiB, from $workload"
echo "machine:  $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs:     $runs per side, alternating; workers: $workers"
echo
printf '%-34s %8s %8s %10s %10s %8s %6s %10s %6s  %s\n' reward "rmg wall" "rmg CPU" "batch wall" "batch CPU" \
  "py load" ratio "text wall" ratio "rmg walls | batch walls | text walls (s)"

for spec in $rewards; do
  reward=${spec%%:*}
  params=()
  [[ $spec == *:* ]] && IFS=, read -r -a params <<<"${spec#*:}"
  run_rmg "$reward" "${params[@]}" >/dev/null  # untimed: page cache, binary, module
  run_python "$input" "$reward" "$workers" "${params[@]}" >/dev/null
  rmg_walls='' rmg_cpus='' py_walls='' py_cpus='' py_loads='' text_walls=''
  for ((r = 0; r < runs; ++r)); do
    read -r wall cpu < <(run_rmg "$reward" "${params[@]}")
    rmg_walls+="$wall " rmg_cpus+="$cpu "
    read -r load wall cpu _ < <(run_python "$input" "$reward" "$workers" "${params[@]}")
    py_walls+="$wall " py_cpus+="$cpu " py_loads+="$load "
    read -r _ wall _ _ < <(run_python --json-text "$input" "$reward" "$workers" "${params[@]}")
    text_walls+="$wall "
  done
  rmg_wall=$(median_of "$rmg_walls")
  py_wall=$(median_of "$py_walls")
  text_wall=$(median_of "$text_walls")
  printf '%-34s %8.3f %8.3f %10.3f %10.3f %8.3f %5.2fx %10.3f %5.2fx  %s| %s| %s\n' "$spec" "$rmg_wall" \
    "$(median_of "$rmg_cpus")" "$py_wall" "$(median_of "$py_cpus")" "$(median_of "$py_loads")" \
    "$(echo "$py_wall / $rmg_wall" | bc -l)" "$text_wall" "$(echo "$text_wall / $rmg_wall" | bc -l)" \
    "$rmg_walls" "$py_walls" "$text_walls"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
