#!/usr/bin/env python3
"""Writes a libFuzzer seed corpus for fuzz/math_verify_fuzz.cc: one file per
(gold, prediction) pair of ../shared/data/math/*.jsonl, as "gold\\0prediction",
predictions cut to 4 KiB so that seeds stay small.

usage: fuzz/make_seed_corpus.py OUTPUT_DIR
"""
import hashlib
import json
import os
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "math")
    written = 0
    for name in ("mathverify_cases.jsonl", "competition_answers.jsonl"):
        with open(os.path.join(data, name), encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                for output in json.loads(line)["output"]:
                    answer = output["answer"]
                    gold = answer["label"]["reference"]
                    gold = gold if isinstance(gold, str) else json.dumps(gold)
                    seed = (gold + "\0" + answer.get("content", "")[-4096:]).encode("utf-8")
                    path = os.path.join(out, hashlib.sha1(seed).hexdigest())
                    with open(path, "wb") as seed_file:
                        seed_file.write(seed)
                    written += 1
    print(f"{written} seeds in {out}")


if __name__ == "__main__":
    main()
