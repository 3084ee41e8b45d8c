#!/usr/bin/env bash
# How far past its deadline each token reward runs on one huge answer, for one or more
# binaries (to compare two builds in the same sitting).
#
# usage: bench/deadline_overrun.sh RMG_BINARY [RMG_BINARY ...]
# environment:
#   RUNS=3        rounds; each round runs every binary on every reward, in turn
#   MEGABYTES=50  size of the answer
#   TIMEOUT=2     the --timeout given to rmg eval
#   TEXT=words    the answer: `words`, or `unknown` (one run of ideographs that no word of
#                 jieba's dictionary covers, which jieba hands whole to its HMM)
#
# The sample is one answer of MEGABYTES of random words (ASCII and Chinese, a newline
# in twenty), or of the five ideographs 龘齾鱻麤靐 in random order, against a reference of
# 1,000 bytes, written once to a temporary directory. Each run is `rmg eval -w 1 --timeout TIMEOUT`, timed whole-process with
# `date +%s.%N`; `length_penalty`, which only counts characters, gives the cost of
# reading and writing the sample. Per binary and reward the median of the rounds is
# printed.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$script_dir/bench_lib.sh"
if [[ $# -eq 0 ]]; then
  echo "usage: bench/deadline_overrun.sh RMG_BINARY [RMG_BINARY ...]" >&2
  exit 2
fi
for binary in "$@"; do require_executable deadline_overrun.sh "$binary"; done
runs=${RUNS:-3}
megabytes=${MEGABYTES:-50}
timeout=${TIMEOUT:-2}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/sample.jsonl" "$megabytes" "${TEXT:-words}" <<'EOF'
import json, random, sys
random.seed(1)
words = ["alpha", "beta", "gamma", "delta", "数学", "测试", "hello", "world", "x1", "foo."]
def text(size):
    if sys.argv[3] == "unknown":
        return "".join(random.choice("龘齾鱻麤靐") for _ in range(size // 3))
    out, length = [], 0
    while length < size:
        word = random.choice(words)
        out.append(word)
        length += len(word) + 1
        if random.random() < 0.05:
            out.append("\n")
    return " ".join(out)
reference = text(1000)
sample = {"unique_id": "huge", "input": [{"role": "user", "content": "q"}],
          "output": [{"answer": {"role": "assistant", "content": text(int(sys.argv[2]) * 1000000),
                                 "label": {"reference": reference, "references": [reference]}}}]}
with open(sys.argv[1], "w") as f:
    f.write(json.dumps(sample, ensure_ascii=False) + "\n")
EOF

rewards=("length_penalty" "rouge" "rouge -p variant=rouge2" "rouge -p variant=rougeLsum"
         "rouge -p use_stemmer=true" "bleu" "bleu -p tokenize=intl" "bleu -p tokenize=zh" "chrf"
         "f1_score" "f1_score -p tokenizer=jieba" "ngram_repetition_penalty"
         "ngram_repetition_penalty -p tokenizer=jieba")
declare -A seconds
for ((round = 1; round <= runs; ++round)); do
  index=0
  for binary in "$@"; do
    index=$((index + 1))
    for spec in "${rewards[@]}"; do
      # shellcheck disable=SC2086  # the spec is the reward and its -p flags
      start=$(date +%s.%N)
      "$binary" eval --reward $spec -w 1 --timeout "$timeout" --no-progress -i "$work/sample.jsonl" \
        -o "$work/out.jsonl" 2> /dev/null || true
      end=$(date +%s.%N)
      seconds["$index|$spec"]+="$(echo "$end - $start" | bc) "
    done
  done
done

index=0
for binary in "$@"; do
  index=$((index + 1))
  echo "== $binary (median of $runs, whole process, --timeout $timeout, ${megabytes} MB answer)"
  for spec in "${rewards[@]}"; do
    median=$(echo "${seconds["$index|$spec"]}" | tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    printf "  %-45s %6.2f s\n" "$spec" "$median"
  done
done
