#!/usr/bin/env bash
# rmg serve under wrk, side by side with nginx returning a static JSON of the same
# size (the ceiling for an HTTP server on this machine), in the same run.
#
#   bench/serve_bench.sh [DURATION_SECONDS] [CONNECTIONS]
#
# Needs the release build (build/release/rmg) and Debian's wrk and nginx-light
# (apt-get install wrk nginx-light). For each reward (length_penalty, then
# math_verify_reward) it starts `rmg serve --reward R`, posts OpenRLHF's payload to
# /get_reward with wrk (keep-alive, 2 threads), then serves rmg's own reply bytes
# from nginx (2 worker processes) and runs the same wrk against it. Prints
# requests/s and latency percentiles of each.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
rmg=build/release/rmg
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "needs $tool: apt-get install wrk nginx-light" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_wrk() {  # URL LABEL
  echo "== $2"
  wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/wrk_post.lua "$1" |
    grep -E 'Requests/sec|Latency  |50%|90%|99%|status|Socket errors'
}

for reward in length_penalty math_verify_reward; do
  port=$(free_port)
  "$rmg" serve --port "$port" --reward "$reward" 2>/dev/null &
  rmg_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
  reply=$(curl -sf -X POST --data-binary @bench/openrlhf_request.json "http://127.0.0.1:$port/get_reward")
  echo "rmg reply (${#reply} bytes): $reply"
  run_wrk "http://127.0.0.1:$port/get_reward" "rmg serve --reward $reward: POST /get_reward"
  kill -TERM "$rmg_pid"; wait "$rmg_pid" || true

  nginx_port=$(free_port)
  printf '%s' "$reply" > "$work/reply.json"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx_error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work;
  server {
    listen 127.0.0.1:$nginx_port;
    location /get_reward { default_type application/json; return 200 '$reply'; }
  }
}
NGINX
  /usr/sbin/nginx -c "$work/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 100); do curl -sf -X POST -d x "http://127.0.0.1:$nginx_port/get_reward" >/dev/null && break; sleep 0.05; done
  run_wrk "http://127.0.0.1:$nginx_port/get_reward" "nginx static reply of the same ${#reply} bytes"
  kill -TERM "$nginx_pid"; wait "$nginx_pid" || true
done
