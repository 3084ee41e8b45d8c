#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat server on loopback, for tests and benchmarks.

It stands in for a hosted LLM: a real HTTP/1.1 server (keep-alive, one thread per
connection) answering POST /v1/chat/completions and POST /chat/completions with
OpenAI chat.completion bodies, and failing on purpose when told to. Standard
library only, so tests need nothing beyond python3.

Once listening it prints "PORT <n>" on stdout, then serves until SIGTERM/SIGINT
(exit 0) or, with --exit-on-stdin-eof, until its stdin closes (so a crashed test
harness never leaks it).

Options:
  --host H / --port P       address to bind (default 127.0.0.1, port 0 = any free one)
  --api-key KEY             require "Authorization: Bearer KEY"; else 401 (403 with --forbid)
  --script FILE             JSON: {"rules": [{"match": "substring", "reply": "text",
                            "reasoning_content": "...", "faults": ["429", ...],
                            "latency_ms": N}], "default_reply": "text"}.
                            The first rule whose match occurs in the prompt (the content
                            of the last user message) decides. Its faults are consumed
                            per distinct prompt: the k-th request with that prompt gets
                            faults[k], later ones the reply.
  --fault-rate P --fault-modes M,... --seed N
                            each request independently gets, with probability P, one of
                            the modes picked uniformly (a rule's faults come first).
  --latency-ms N            wait before every answer (a rule's latency_ms overrides)
  --retry-after S           Retry-After of 429 answers (default 1)
  --slow-seconds S          delay of the "slow" fault (default 30)

Fault modes: 429, 500 (error statuses), slow (late but normal reply), drop (close
the connection without a byte), malformed (200 with a body that is not JSON),
notags (200, content without XML tags), empty (200 with no choices), echo_auth (502
whose message quotes the request's Authorization header).

Introspection: GET /stats, GET /requests (received bodies, last 10000),
POST /reset (clears both), GET /healthz.
"""

import argparse
import collections
import http.server
import json
import random
import signal
import socket
import sys
import threading
import time

DEFAULT_REPLY = "<reason>ok</reason>\n<best>1</best>"
FAULT_MODES = ("429", "500", "slow", "drop", "malformed", "notags", "empty", "echo_auth")
CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")


class State:
    """Counters and the request log; every field is guarded by `lock`."""

    def __init__(self, seed):
        self.lock = threading.Lock()
        self.rng = random.Random(seed)
        self.completion_ids = 0
        self.reset()

    def reset(self):
        self.requests = 0
        self.by_outcome = collections.Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.attempts_by_prompt = collections.Counter()
        self.connections = 0
        self.log = collections.deque(maxlen=10000)

    def stats(self):
        return {
            "requests": self.requests,
            "by_outcome": dict(self.by_outcome),
            "max_in_flight": self.max_in_flight,
            "attempts_by_prompt_max": max(self.attempts_by_prompt.values(), default=0),
            "connections": self.connections,
        }


def prompt_of(body):
    """The content of the last user message; text parts of a list are joined."""
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return content if isinstance(content, str) else ""
    return ""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer carries Content-Length
    # Headers and body go out in two writes; with Nagle on, the body would wait for
    # the client's delayed ACK (~40 ms) on every kept-alive request. Real servers
    # (uvicorn under vLLM, say) set TCP_NODELAY too.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        if self.server.options.verbose:
            super().log_message(format, *args)

    def leave_in_flight(self):
        # A chat request stops counting as in flight before its answer goes out: a
        # client may send its next request the moment it has the answer.
        if getattr(self, "counted_in_flight", False):
            self.counted_in_flight = False
            with self.server.state.lock:
                self.server.state.in_flight -= 1

    def send_json(self, status, payload, headers=None):
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.leave_in_flight()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def send_error_json(self, status, message, kind="invalid_request_error", headers=None):
        self.send_json(status, {"error": {"message": message, "type": kind}}, headers)

    def do_GET(self):
        state = self.server.state
        if self.path == "/healthz":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        elif self.path == "/stats":
            with state.lock:
                stats = state.stats()
            self.send_json(200, stats)
        elif self.path == "/requests":
            with state.lock:
                log = list(state.log)
            self.send_json(200, log)
        else:
            self.send_error_json(404, "no such path: " + self.path)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/reset":
            with self.server.state.lock:
                self.server.state.reset()
            self.send_json(200, {"reset": True})
        elif self.path in CHAT_PATHS:
            state = self.server.state
            with state.lock:
                state.requests += 1
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            self.counted_in_flight = True
            try:
                self.chat(body)
            finally:
                self.leave_in_flight()
        else:
            self.send_error_json(404, "no such path: " + self.path)

    def count(self, outcome):
        with self.server.state.lock:
            self.server.state.by_outcome[outcome] += 1

    def chat(self, raw_body):
        """Answers one chat request. Its outcome is counted when decided, so /stats
        already shows a slow answer a client gave up on."""
        options, state = self.server.options, self.server.state
        try:
            body = json.loads(raw_body)
            if not isinstance(body, dict):
                raise ValueError("the body is not a JSON object")
        except ValueError as error:
            self.count("400")
            self.send_error_json(400, "invalid JSON body: %s" % error)
            return
        if options.api_key is not None and self.headers.get("Authorization") != "Bearer " + options.api_key:
            status = 403 if options.forbid else 401
            self.count(str(status))
            self.send_error_json(status, "Incorrect API key provided", "authentication_error")
            return

        prompt = prompt_of(body)
        rule = next((r for r in self.server.rules if r.get("match", "") in prompt), None)
        with state.lock:
            state.log.append(body)
            attempt = state.attempts_by_prompt[prompt]
            state.attempts_by_prompt[prompt] += 1
            faults = rule.get("faults", []) if rule else []
            if attempt < len(faults):
                fault = faults[attempt]
            elif options.fault_rate > 0 and state.rng.random() < options.fault_rate:
                fault = state.rng.choice(options.fault_modes)
            else:
                fault = None
            state.by_outcome[fault or "ok"] += 1
            state.completion_ids += 1
            completion_id = state.completion_ids

        if fault == "drop":
            # The request is read; the peer sees the connection end with no answer.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        latency_ms = rule.get("latency_ms", options.latency_ms) if rule else options.latency_ms
        time.sleep(latency_ms / 1000.0)
        if fault == "slow":
            time.sleep(options.slow_seconds)
        if fault == "429":
            self.send_error_json(429, "Rate limit reached", "rate_limit_error",
                                 {"Retry-After": format_seconds(options.retry_after)})
            return
        if fault == "500":
            self.send_error_json(500, "The server had an error", "server_error")
            return
        if fault == "echo_auth":
            # A misconfigured proxy's error page quoting the request's headers.
            # Long enough that a quote of the first 200 bytes would cut the key in two.
            self.send_error_json(502, "upstream refused the request %s: Authorization: %s"
                                 % ("." * 137, self.headers.get("Authorization", "")), "server_error")
            return
        if fault == "malformed":
            self.send_json(200, b'{"choices": [{"message": ')
            return

        if fault == "notags":
            reply = "I cannot decide."
        elif rule is not None:
            reply = rule.get("reply", self.server.default_reply)
        else:
            reply = self.server.default_reply
        message = {"role": "assistant", "content": reply}
        if rule is not None and fault in (None, "slow") and "reasoning_content" in rule:
            message["reasoning_content"] = rule["reasoning_content"]
        choices = [] if fault == "empty" else [{"index": 0, "message": message, "finish_reason": "stop"}]
        prompt_tokens, completion_tokens = len(prompt) // 4, len(reply) // 4
        self.send_json(200, {
            "id": "chatcmpl-%d" % completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        })


def format_seconds(seconds):
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 2048  # benchmarks open many connections at once

    def __init__(self, options):
        self.options = options
        self.state = State(options.seed)
        script = {}
        if options.script:
            with open(options.script, encoding="utf-8") as f:
                script = json.load(f)
        self.rules = script.get("rules", [])
        for rule in self.rules:
            unknown = [f for f in rule.get("faults", []) if f not in FAULT_MODES]
            if unknown:
                sys.exit("%s: unknown faults %s in the rule matching %r" % (options.script, unknown, rule.get("match")))
        self.default_reply = script.get("default_reply", DEFAULT_REPLY)
        super().__init__((options.host, options.port), Handler)

    def handle_error(self, request, client_address):
        # A client that hangs up (a timeout, a test that is done) is expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def process_request(self, request, client_address):
        with self.state.lock:
            self.state.connections += 1
        super().process_request(request, client_address)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--api-key")
    parser.add_argument("--forbid", action="store_true", help="answer a wrong key with 403, not 401")
    parser.add_argument("--script")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-modes", default="429,500,slow,drop,malformed,notags")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    options = parser.parse_args(argv)
    options.fault_modes = [m for m in options.fault_modes.split(",") if m]
    unknown = [m for m in options.fault_modes if m not in FAULT_MODES]
    if unknown:
        parser.error("unknown fault modes %s (known: %s)" % (unknown, ", ".join(FAULT_MODES)))
    return options


def main(argv):
    options = parse_args(argv)
    server = Server(options)

    def stop(*_):
        # shutdown() waits for serve_forever, so it must not run on serve_forever's thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if options.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.buffer.read(), stop()), daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.05)  # so a stop takes effect at once
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
