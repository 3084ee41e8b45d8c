"""Shared fixtures: the rmg CLI binary and a handful of DataSamples as dicts.

RMG_BINARY (set by ctest) names the CLI; otherwise build/release/rmg is used.
"""

import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(os.environ.get("RMG_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture(scope="session")
def rmg_binary():
    path = os.environ.get("RMG_BINARY", str(ROOT / "build" / "release" / "rmg"))
    if not os.path.exists(path):
        pytest.skip(f"rmg CLI not built at {path}")
    return path


def make_sample(uid, content, reference="", task="qa"):
    return {
        "unique_id": uid,
        "input": [{"role": "user", "content": "question " + uid}],
        "output": [{"answer": {"role": "assistant", "content": content, "label": {"reference": reference}}}],
        "task_category": task,
    }


SAMPLES = [
    make_sample("s1", "<think>17 * 3 = 51.</think><answer>51</answer>", "51"),
    make_sample("s2", "Paris", "Paris"),
    make_sample("s3", "The answer is 1,000 and 2.5", "1000 2.5"),
    make_sample("s4", "the cat sat on the mat the cat sat on the mat the cat sat", "a cat sat on a mat"),
    make_sample("s5", "Write to jane.doe@example.com or call 555-123-4567 from 8.8.8.8", "x"),
    make_sample("s6", "<think>Call it.</think><tool_call>{\"name\": \"book\", \"arguments\": {}}</tool_call>", ""),
    make_sample("s7", "The result is $\\frac{1}{2}$", "0.5"),
    make_sample("s8", "short", "\\boxed{3}"),
    make_sample("s9", "", ""),
]


@pytest.fixture
def samples():
    return json.loads(json.dumps(SAMPLES))


@pytest.fixture
def scripted_llm(tmp_path):
    """Starts src/llm/testing/scripted_openai_server.py with a script; yields (base_url, requests())."""
    import subprocess
    import sys
    import urllib.request

    servers = []

    def start(script):
        path = tmp_path / f"script{len(servers)}.json"
        path.write_text(json.dumps(script))
        server = subprocess.Popen([sys.executable, str(ROOT / "src/llm/testing/scripted_openai_server.py"),
                                   "--script", str(path), "--exit-on-stdin-eof"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        servers.append(server)
        port = int(server.stdout.readline().split()[1])
        base_url = f"http://127.0.0.1:{port}/v1"

        def requests():
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/requests") as reply:
                return json.loads(reply.read())

        return base_url, requests

    yield start
    for server in servers:
        server.stdin.close()
        server.wait(timeout=10)
