"""Speed of rmg's jieba segmentation against Python's jieba.cut() on the same corpus.

Usage (after a release build with benchmarks, on Debian's python3 with python3-jieba):
    /usr/bin/python3 bench/jieba_speed.py [build/release/jieba_bench] [--rounds R]

The corpus is real Chinese text: every translated message of the zh_CN catalogues of
three of Debian's essential packages (coreutils, dpkg, bash), as installed. Both sides
first build their dictionary (timed: Python's jieba.initialize(), which may read its
cache in /tmp, and rmg's first use), then cut every text once per round, on one thread;
each prints the median round in characters (code points) per second. The two run one
after the other in this process's run, Python first.
"""
import gettext
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time

import jieba

CATALOGUES = [f"/usr/share/locale/zh_CN/LC_MESSAGES/{p}.mo" for p in ("coreutils", "dpkg", "bash")]


def corpus():
    texts = []
    for path in CATALOGUES:
        with open(path, "rb") as catalogue:
            messages = gettext.GNUTranslations(catalogue)._catalog
        texts += [messages[key] for key in sorted(messages, key=str) if key]
    return texts


def time_python(texts, rounds):
    jieba.setLogLevel(logging.WARNING)
    start = time.perf_counter()
    jieba.initialize()
    load = time.perf_counter() - start
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            list(jieba.cut(text))
        seconds.append(time.perf_counter() - start)
    characters = sum(len(t) for t in texts)
    return {"implementation": "python jieba " + jieba.__version__, "load_seconds": load, "texts": len(texts),
            "characters": characters, "round_seconds": seconds,
            "median_chars_per_second": characters / statistics.median(seconds)}


def main():
    args = sys.argv[1:]
    rounds = 5
    if "--rounds" in args:
        at = args.index("--rounds")
        rounds = int(args[at + 1])
        del args[at:at + 2]
    binary = args[0] if args else "build/release/jieba_bench"
    texts = corpus()
    python = time_python(texts, rounds)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps(text) + "\n")
    try:
        run = subprocess.run([binary, out.name, "--rounds", str(rounds)], capture_output=True, text=True, check=True)
    finally:
        os.unlink(out.name)
    rmg = json.loads(run.stdout)
    for report in (python, rmg):
        print(f"{report['implementation']:>20}: load {report['load_seconds']:.3f} s, "
              f"{report['median_chars_per_second']:,.0f} characters/s "
              f"({report['texts']} texts, {report['characters']} characters)")
    print(f"{'ratio':>20}: {rmg['median_chars_per_second'] / python['median_chars_per_second']:.1f}x")


if __name__ == "__main__":
    main()
