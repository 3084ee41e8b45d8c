#!/usr/bin/env python3
"""Real HTTP clients for the rmg serve tests, on Python's standard library only.

Each subcommand talks to a server on 127.0.0.1:PORT and prints one JSON object with
what it saw, for the C++ test to check:

  openrlhf PORT          POST /get_reward with OpenRLHF's exact payload (urllib)
  sandboxfusion PORT     POST /run_code as SandboxFusion's clients do (urllib)
  concurrent PORT N      N connections open at once, each sending one request
  malformed PORT N       N malformed requests: fuzzed bodies, truncated JSON, huge
                         numbers, deep nesting, invalid UTF-8, broken HTTP
  overload PORT SECONDS THREADS   many clients hammering /v1/rewards/...:evaluate
"""
import asyncio
import collections
import json
import random
import resource
import socket
import sys
import threading
import time
import urllib.error
import urllib.request


def post(port, path, payload, timeout=30):
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def openrlhf(port):
    # OpenRLHF's remote_rm_fn: {"query": [...], "prompts": [...], "labels": [...]}.
    prompt = "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"
    payload = {
        "query": [prompt + "The answer is 4.<|im_end|>", prompt + "x" * 40 + "<|im_end|>"],
        "prompts": [prompt, prompt],
        "labels": ["4", "4"],
    }
    status, body = post(port, "/get_reward", payload)
    print(json.dumps({"status": status, "body": body}))


def sandboxfusion(port):
    payload = {"code": "import sys\nprint(sys.stdin.read().upper())", "language": "python", "stdin": "hello",
               "run_timeout": 10, "compile_timeout": 10, "memory_limit_MB": -1, "files": {}, "fetch_files": []}
    status, body = post(port, "/run_code", payload)
    print(json.dumps({"status": status, "body": body}))


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def one_connection(port, index, opened, all_open):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    opened.append(index)
    await all_open.wait()  # every connection is open before any request is sent
    body = json.dumps({"samples": [{"unique_id": f"c{index}", "input": [{"role": "user", "content": "q"}],
                                    "output": [{"answer": {"role": "assistant", "content": "y" * (index % 50)}}]}]})
    writer.write((f"POST /v1/rewards/length_penalty:evaluate?view=scores HTTP/1.1\r\nHost: x\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
    await writer.drain()
    status_line = await reader.readline()
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    payload = await reader.readexactly(int(headers.get("content-length", "0")))
    writer.close()
    return int(status_line.split()[1]), json.loads(payload)


async def concurrent_main(port, count):
    opened = []
    all_open = asyncio.Event()
    tasks = [asyncio.create_task(one_connection(port, i, opened, all_open)) for i in range(count)]
    while len(opened) < count:
        await asyncio.sleep(0.01)
    all_open.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    statuses = collections.Counter(r[0] if isinstance(r, tuple) else type(r).__name__ for r in results)
    return {"statuses": {str(k): v for k, v in statuses.items()}, "opened": len(opened)}


def concurrent(port, count):
    raise_fd_limit()
    print(json.dumps(asyncio.run(concurrent_main(port, count))))


def flipped(rng, valid):
    """`valid` with random bits flipped until it is no longer a JSON document."""
    while True:
        body = bytes(b ^ (1 << rng.randrange(8)) if rng.random() < 0.05 else b for b in valid)
        try:
            json.loads(body)
        except ValueError:  # also UnicodeDecodeError
            return body


def malformed_bodies(rng, count):
    valid = json.dumps({"samples": [{"unique_id": "m", "output": [{"answer": {"content": "abc"}}]}]}).encode()
    makers = [
        lambda: valid[: rng.randrange(1, len(valid))],                      # truncated JSON
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))),  # random bytes
        lambda: b"[" * rng.randrange(1000, 200000),                          # deep nesting
        lambda: b'{"samples": [{"unique_id": 1e999999}]}',                   # huge number
        lambda: b'{"samples": ' + b"9" * 5000 + b"}",                        # huge integer
        lambda: b'{"samples": "\xff\xfe"}',                                  # invalid UTF-8
        lambda: b'{"samples": [{"unique_id": "x", "output": "nope"}]}',      # wrong types
        lambda: b'{"samples": 7}',
        lambda: b'{"query": [1, 2, 3]}',
        lambda: flipped(rng, valid),                                        # bit flips
    ]
    paths = ["/v1/rewards/length_penalty:evaluate", "/get_reward", "/run_code", "/v1/rewards/no_such_reward:evaluate"]
    for _ in range(count):
        yield rng.choice(paths), rng.choice(makers)()


def read_response(sock_file):
    status_line = sock_file.readline()
    if not status_line:
        return None
    length = 0
    while True:
        line = sock_file.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    body = sock_file.read(length)
    status = int(status_line.split()[1])
    if status == 200 and b'"errors"' in body:
        # A batch whose samples were all invalid: each listed under "errors", none scored.
        answer = json.loads(body)
        if all(sample is None for sample in answer.get("samples", answer.get("scores", [1]))):
            return "listed"
    return status


def malformed(port, count):
    rng = random.Random(20261126)
    statuses = collections.Counter()
    sock = None
    for path, body in malformed_bodies(rng, count):
        for attempt in range(2):
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                    sock_file = sock.makefile("rb")
                head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                sock.sendall(head + body)
                status = read_response(sock_file)
                if status is None:
                    raise ConnectionError("closed")
                statuses[str(status)] += 1
                break
            except (ConnectionError, OSError):
                sock = None
                if attempt == 1:
                    statuses["connection_error"] += 1
    # Broken HTTP itself, each on a fresh connection.
    for raw in [b"GARBAGE\r\n\r\n", b"POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                b"POST /get_reward HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", b"\x00\x01\x02\r\n\r\n"]:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(raw)
        status = read_response(s.makefile("rb"))
        statuses["raw_" + str(status)] += 1
        s.close()
    print(json.dumps({"statuses": dict(statuses)}))


def overload(port, seconds, threads):
    statuses = collections.Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    body = json.dumps({"samples": [{"unique_id": "o", "output": [{"answer": {"content": "abc"}}]}]}).encode()

    def hammer():
        local = collections.Counter()
        sock = None
        while time.monotonic() < stop:
            try:
                if sock is None:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                    sock_file = sock.makefile("rb")
                sock.sendall((f"POST /v1/rewards/slow:evaluate HTTP/1.1\r\nHost: x\r\n"
                              f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
                status = read_response(sock_file)
                local[str(status)] += 1
            except (ConnectionError, OSError):
                sock = None
                local["connection_error"] += 1
        with lock:
            statuses.update(local)

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(json.dumps({"statuses": dict(statuses)}))


def main():
    command, port = sys.argv[1], int(sys.argv[2])
    if command == "openrlhf":
        openrlhf(port)
    elif command == "sandboxfusion":
        sandboxfusion(port)
    elif command == "concurrent":
        concurrent(port, int(sys.argv[3]))
    elif command == "malformed":
        malformed(port, int(sys.argv[3]))
    elif command == "overload":
        overload(port, float(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
