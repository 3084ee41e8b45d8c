"""How long one large POST holds `rmg serve`'s I/O thread: the longest wait of a /healthz
poll (every 2 ms, on its own keep-alive connection) while a body of N samples is read and
scored on a server with one I/O thread and two workers.

Usage: python3 bench/serve_io_stall.py [--samples N] [--rounds R] BINARY [BINARY ...]
Each round starts each binary's `rmg serve` in turn (so two builds alternate in one
sitting) and prints one JSON line; the last lines are each binary's medians.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time

CONFIG = """io_threads: 1
workers: 2
max_body_bytes: 400000000
max_samples_per_request: 1000000
request_timeout_seconds: 600
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port):
    for _ in range(500):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/healthz")
            c.getresponse().read()
            return c
        except OSError:
            time.sleep(0.01)
    raise RuntimeError("rmg serve did not start")


def one_round(binary, config, body):
    port = free_port()
    server = subprocess.Popen([binary, "serve", "-c", config, "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        poll = wait_until_up(port)
        done = threading.Event()
        result = {}

        def post():
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            start = time.monotonic()
            c.request("POST", "/v1/rewards/length_penalty:evaluate", body, {"Content-Type": "application/json"})
            response = c.getresponse()
            response.read()
            result["status"], result["post_s"] = response.status, time.monotonic() - start
            done.set()

        waits = []
        thread = threading.Thread(target=post)
        thread.start()
        while not done.is_set():
            start = time.monotonic()
            poll.request("GET", "/healthz")
            poll.getresponse().read()
            waits.append(time.monotonic() - start)
            time.sleep(0.002)
        thread.join()
        return {"binary": binary, "status": result["status"], "post_s": round(result["post_s"], 2),
                "healthz_max_ms": round(max(waits) * 1000, 1), "polls": len(waits)}
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    sample = {"unique_id": "x", "input": [{"role": "user", "content": "q"}],
              "output": [{"answer": {"role": "assistant", "content": "word " * 400}}]}
    body = json.dumps({"samples": [sample] * args.samples}).encode()
    print(json.dumps({"body_mb": round(len(body) / 1e6, 1), "samples": args.samples}))
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        config = os.path.join(directory, "serve.yaml")
        with open(config, "w") as f:
            f.write(CONFIG)
        for _ in range(args.rounds):
            for binary in args.binaries:
                rows.append(one_round(binary, config, body))
                print(json.dumps(rows[-1]))
    for binary in args.binaries:
        mine = [r for r in rows if r["binary"] == binary]
        print(json.dumps({"binary": binary, "median_healthz_max_ms": statistics.median(r["healthz_max_ms"] for r in mine),
                          "median_post_s": statistics.median(r["post_s"] for r in mine)}))


if __name__ == "__main__":
    main()
