#!/usr/bin/env bash
# End-to-end timing of `rmg eval` (JSONL in, JSONL out): the whole process, from
# start to exit, on a 100,000-sample file made of rule_workload.jsonl repeated 50
# times with unique ids.
#
# usage: bench/eval_e2e.sh [RMG_BINARY]          (default: build/release/rmg)
# environment:
#   RUNS=5                      runs per (reward, workers) setting
#   WORKERS="1 2"               worker counts, interleaved within each round
#   REWARDS="length_penalty accuracy reasoning_format"
#   COPIES=50                   repetitions of the workload (50 x 2,000 = 100,000)
#   KEEP_INPUT=1                keep the generated file (it is removed otherwise)
#
# Runs are interleaved (w=1, w=2, w=1, w=2, ...) so that the noise of a shared
# machine hits every setting alike; one untimed run per reward comes first (page
# cache, binary). Per setting the medians of the runs are printed:
#   wall s, samples/s   wall time of the whole process, and samples / wall time
#   CPU s, samples/CPU-s  user + system CPU time of the process (all its threads);
#                       on a busy shared machine this shows the work done when the
#                       wall time mostly shows the neighbours
#   rmg s/s             what rmg itself reports on stderr (its evaluation loop,
#                       without process start-up and opening the input)
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(dirname "$script_dir")
# shellcheck source=bench_lib.sh
source "$script_dir/bench_lib.sh"
rmg=${1:-$repo_dir/build/release/rmg}
workload=${RMG_BENCH_WORKLOAD:-$repo_dir/../shared/data/bench/rule_workload.jsonl}
runs=${RUNS:-5}
workers_list=${WORKERS:-"1 2"}
rewards=${REWARDS:-"length_penalty accuracy reasoning_format"}
copies=${COPIES:-50}

require_executable eval_e2e.sh "$rmg"
require_readable eval_e2e.sh "$workload"

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/rmg_e2e.XXXXXX")
cleanup() {
  if [[ ${KEEP_INPUT:-0} == 1 ]]; then
    echo "input kept in $work_dir" >&2
  else
    rm -rf "$work_dir"
  fi
}
trap cleanup EXIT
input=$work_dir/workload_x${copies}.jsonl

# Repeat the workload with unique ids: copy k of "bench_0000_plain" becomes
# "bench_0000_plain#k"; every other byte of the record is kept.
python3 "$script_dir/repeat_workload.py" "$workload" "$input" $((copies * $(grep -c . "$workload")))
samples=$(wc -l <"$input")
bytes=$(stat -c %s "$input")

# Runs rmg once; prints "<wall s> <user+sys CPU s> <rmg-reported samples/s>". The
# times come from bash's `time` keyword (wall = %R, CPU = %U + %S of the process).
run_once() {
  local reward=$1 workers=$2 log=$work_dir/stderr.log times=$work_dir/times.txt status=0
  local TIMEFORMAT='%3R %3U %3S'
  { time "$rmg" eval --reward "$reward" --input "$input" --output /dev/null --workers "$workers" --no-progress \
      2>"$log" ; } 2>"$times" || status=$?
  if ((status != 0)); then
    echo "eval_e2e.sh: rmg eval --reward $reward --workers $workers failed (exit $status):" >&2
    cat "$log" >&2
    exit 1
  fi
  local wall user sys reported
  read -r wall user sys <"$times"
  reported=$(sed -n 's/.* \([0-9.]*\) samples\/s (.*/\1/p' "$log" | tail -n 1)
  echo "$wall $(echo "$user + $sys" | bc -l) ${reported:-0}"
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "rmg:      $rmg"
echo "input:    $input ($samples samples, $((bytes / 1024 / 1024)) MiB)"
echo "machine:  $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs:     $runs per setting, interleaved over workers: $workers_list"
echo
printf '%-26s %7s %10s %11s %9s %13s %11s  %s\n' reward workers "wall s" "samples/s" "CPU s" "samples/CPU-s" "rmg s/s" \
  "wall times (s)"

for reward in $rewards; do
  run_once "$reward" 1 >/dev/null  # untimed warm-up
  declare -A walls=() cpus=() rates=()
  for ((r = 0; r < runs; ++r)); do
    for w in $workers_list; do
      read -r wall cpu reported < <(run_once "$reward" "$w")
      walls[$w]+="$wall "
      cpus[$w]+="$cpu "
      rates[$w]+="$reported "
    done
  done
  for w in $workers_list; do
    wall_median=$(tr ' ' '\n' <<<"${walls[$w]}" | grep . | median)
    cpu_median=$(tr ' ' '\n' <<<"${cpus[$w]}" | grep . | median)
    rate_median=$(tr ' ' '\n' <<<"${rates[$w]}" | grep . | median)
    printf '%-26s %7s %10.3f %11.0f %9.3f %13.0f %11.0f  %s\n' "$reward" "$w" "$wall_median" \
      "$(echo "$samples / $wall_median" | bc -l)" "$cpu_median" "$(echo "$samples / $cpu_median" | bc -l)" \
      "$rate_median" "${walls[$w]}"
  done
  unset walls cpus rates
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
