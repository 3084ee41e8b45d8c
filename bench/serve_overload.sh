#!/usr/bin/env bash
# Overload: far more concurrent requests than rmg serve can take, for 30 s.
#
#   bench/serve_overload.sh [SECONDS] [CONNECTIONS] [QUEUE_LIMIT]
#
# wrk is closed-loop (each connection sends its next request when the previous one
# is answered), so overload is expressed as concurrency: CONNECTIONS (default 2000)
# requests outstanding against a queue of QUEUE_LIMIT (default 256) and 2 workers,
# on math_verify_reward. The sustainable load is what 64 connections get (measured
# first, 10 s). Checks: every answer is a 200 or a 503, the server's peak RSS
# (VmHWM), and that it answers normally right after.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
connections="${2:-2000}"
queue_limit="${3:-256}"
rmg=build/release/rmg
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n "$(ulimit -Hn)"

cat > "$work/serve.yaml" <<YAML
queue_limit: $queue_limit
workers: 2
access_log: false
get_reward: math_verify_reward
YAML
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$rmg" serve --port "$port" --config "$work/serve.yaml" 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
url="http://127.0.0.1:$port/get_reward"

echo "== sustainable: 64 connections, 10 s"
wrk -t2 -c64 -d10s --latency -s bench/wrk_post.lua "$url" | grep -E 'Requests/sec|99%|status|Socket errors'
echo "== overload: $connections connections, ${seconds} s, queue_limit $queue_limit"
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s bench/wrk_post.lua "$url" |
  grep -E 'Requests/sec|99%|status|Socket errors'
echo "peak RSS of rmg serve: $(grep VmHWM /proc/$pid/status)"
echo "== right after"
curl -s -o /dev/null -w 'status %{http_code} in %{time_total} s\n' -X POST --data-binary @bench/openrlhf_request.json "$url"
kill -TERM "$pid"; wait "$pid"; echo "rmg serve exit code $?"
