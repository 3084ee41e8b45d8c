"""What hostile or careless clients cost `rmg serve`: one figure per case, for one binary.

usage: python3 bench/serve_hostile.py RMG_BINARY [CASE ...]
cases (all by default):
  chunk    one connection sends a chunk-size line that never ends (up to 4 MiB of it,
           in 64 KiB writes): what the server took, its answer, its resident memory
  fds      400 idle connections against a limit of 256 descriptors (prlimit):
           the server's CPU seconds over 5 s of that
  inline   after 20 small rouge requests, one 8 MB rouge sample, and /healthz sent
           2 s later on a new connection: how long /healthz waits
  count    a 15 MB body of 5 million empty samples: the time to its answer, and the
           server's CPU seconds and resident memory after
  hangup   with 2 workers, two clients send /run_code a program that sleeps 30 s and
           give up after 1 s each (a trainer's timeout); then a third runs print(1):
           how long it waits for the sandbox the first two no longer want

Each case starts its own server on a free loopback port (`rmg serve --port 0`) and
stops it. Run it for two binaries in the same sitting to compare them.
"""

import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time


def start(rmg, args=(), config=None, prefix=()):
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    cmd = list(prefix) + [rmg, "serve", "--port", "0"] + list(args)
    if config is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(config)
        cmd += ["--config", f.name]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(400):
        found = re.search(r"http://[0-9.]+:(\d+)", open(log.name).read())
        if found:
            return proc, int(found.group(1))
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("rmg serve did not start: " + open(log.name).read())


def usage(proc):
    """(resident KB, CPU seconds) of the server."""
    rss = int(open(f"/proc/{proc.pid}/status").read().split("VmRSS:")[1].split()[0])
    fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
    return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(port, path="/healthz", body=None, timeout=120, raw=None):
    """(status or None, seconds) of one request on a new connection."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if raw is None:
        head = f"{'POST' if body else 'GET'} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        if body:
            head += f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\n"
        raw = head.encode() + b"\r\n" + (body or b"")
    began = time.time()
    out = b""
    try:
        s.sendall(raw)
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    s.close()
    status = int(out.split(b" ", 2)[1]) if out.startswith(b"HTTP") else None
    return status, time.time() - began


def sample(response, reference):
    return {"unique_id": "u", "input": [{"role": "user", "content": "q"}],
            "output": [{"answer": {"role": "assistant", "content": response, "label": {"reference": reference}}}]}


def case_chunk(rmg):
    proc, port = start(rmg)
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent, answer = 0, b""
    began = time.time()
    try:
        s.sendall(b"POST /v1/rewards/rouge:evaluate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=")
        while sent < (4 << 20):
            s.sendall(b"a" * (64 << 10))
            sent += 64 << 10
        answer = s.recv(1 << 16)
    except OSError:
        try:
            answer = s.recv(1 << 16)
        except OSError:
            pass
    seconds = time.time() - began
    s.close()
    rss, _ = usage(proc)
    proc.terminate(); proc.wait()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") if answer else "no answer"
    print(f"chunk: {sent:,} bytes of the line sent, then {status!r} after {seconds:.2f} s; "
          f"server resident {rss:,} KB")


def case_fds(rmg):
    proc, port = start(rmg, prefix=["prlimit", "--nofile=256:256", "--"])
    conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(400)]
    time.sleep(1)
    _, before = usage(proc)
    time.sleep(5)
    _, after = usage(proc)
    for c in conns:
        c.close()
    time.sleep(0.5)
    status, _ = request(port, timeout=5)
    proc.terminate(); proc.wait()
    print(f"fds: {after - before:.2f} CPU s in 5 s with 400 connections; /healthz after they close: {status}")


def case_inline(rmg):
    proc, port = start(rmg, config="request_timeout_seconds: 20\n")
    path = "/v1/rewards/rouge:evaluate?view=scores"
    small = json.dumps({"samples": [sample("the cat sat", "the cat sat")]}).encode()
    for _ in range(20):
        request(port, path, small)
    random.seed(1)
    words = [f"w{random.randint(0, 50)}" for _ in range(1000000)]
    big = json.dumps({"samples": [sample(" ".join(words), " ".join(reversed(words)))]}).encode()
    result = {}
    sender = threading.Thread(target=lambda: result.update(big=request(port, path, big)))
    sender.start()
    time.sleep(2)
    status, seconds = request(port, timeout=60)
    sender.join()
    proc.terminate(); proc.wait()
    print(f"inline: /healthz {status} in {seconds:.3f} s while an 8 MB sample is scored "
          f"(that one: {result['big'][0]} in {result['big'][1]:.1f} s)")


def case_count(rmg):
    proc, port = start(rmg)
    body = ('{"samples": [' + ",".join(["[]"] * 5000000) + "]}").encode()
    time.sleep(0.5)
    _, cpu_before = usage(proc)
    status, seconds = request(port, "/v1/rewards/rouge:evaluate", body)
    time.sleep(1)
    rss, cpu_after = usage(proc)
    proc.terminate(); proc.wait()
    print(f"count: answer {status} in {seconds:.2f} s; server {cpu_after - cpu_before:.2f} CPU s, "
          f"resident {rss:,} KB after")


def case_hangup(rmg):
    proc, port = start(rmg, config="workers: 2\nrequest_timeout_seconds: 120\n")
    program = lambda code: json.dumps({"code": code, "language": "python", "run_timeout": 60}).encode()
    for _ in range(2):
        request(port, "/run_code", program("import time\ntime.sleep(30)"), timeout=1)
    status, seconds = request(port, "/run_code", program("print(1)"), timeout=60)
    proc.terminate(); proc.wait()
    print(f"hangup: print(1) answered {status} in {seconds:.2f} s after two clients gave up on 30 s programs")


CASES = {"chunk": case_chunk, "fds": case_fds, "inline": case_inline, "count": case_count, "hangup": case_hangup}

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[2:] or list(CASES):
        CASES[name](sys.argv[1])
