#!/usr/bin/env bash
# An LLM judge's samples against a healthy but slow endpoint: how many time out only
# because they waited for a request slot. One scripted OpenAI-compatible server on
# loopback answers every request after 500 ms; `rmg eval` scores 120 listwise samples
# (one request each) with concurrency 8 and --timeout 4, so the work needs 7.5 s and no
# sample needs more than 0.5 s of its own.
#
# Usage: bench/judge_queue.sh [RMG_BINARY ...]   (default build/release/rmg)
# Prints, per binary and round: errors, wall seconds.
set -euo pipefail
script_dir=$(cd "$(dirname "$0")" && pwd)
source "$script_dir/bench_lib.sh"
binaries=("$@")
[[ ${#binaries[@]} -gt 0 ]] || binaries=(build/release/rmg)
for binary in "${binaries[@]}"; do require_executable "$0" "$binary"; done

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$script_dir/../src/llm/testing/scripted_openai_server.py" --latency-ms 500 > "$work/server.out" &
server=$!
for _ in $(seq 100); do grep -q PORT "$work/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/PORT/ {print $2}' "$work/server.out")
python3 - "$work/samples.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(120):
        f.write(json.dumps({"unique_id": f"u{i}", "input": [{"role": "user", "content": f"q{i}"}],
                            "output": [{"answer": {"role": "assistant", "content": a}} for a in ("a", "b")]}) + "\n")
EOF
for round in 1 2 3; do
  for binary in "${binaries[@]}"; do
    summary=$(OPENAI_API_KEY=k "$binary" eval -r base_helpfulness_listwise -p "base_url=http://127.0.0.1:$port/v1" \
      -p concurrency=8 -p cache=off -i "$work/samples.jsonl" -o "$work/out.jsonl" --timeout 4 --no-progress 2>&1 |
      grep '^rmg eval: [0-9]* samples')
    echo "$binary round $round: $summary"
  done
done
