#!/usr/bin/env python3
"""Agreement of `rmg eval --reward code_execution` with the labels of
../shared/data/code/*.jsonl.

usage: bench/code_agreement.py [RMG_BINARY] [--param KEY=VALUE ...] [--list]

An output agrees when its score meets its label: `expected` (equal, within 1e-9),
`expected_max` (score <= it) or `expected_lt` (score < it), whichever the label has;
`expected_lt` and `expected_max` win over `expected` when both are given. Prints
agreement per file and, with --list, every exception with the reward's reason.
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "code")


def meets(score, label):
    if "expected_lt" in label:
        return score < label["expected_lt"]
    if "expected_max" in label:
        return score <= label["expected_max"]
    return abs(score - float(label["expected"])) <= 1e-9


def main():
    args = sys.argv[1:]
    listing = "--list" in args
    args = [a for a in args if a != "--list"]
    rmg = os.path.join(HERE, "..", "build", "release", "rmg")
    if args and not args[0].startswith("--"):
        rmg = args.pop(0)
    params = []
    while args:
        flag = args.pop(0)
        if flag == "--param" and args:
            params += ["--param", args.pop(0)]
        else:
            sys.exit(__doc__)
    total = [0, 0]
    exceptions = []
    for path in sorted(glob.glob(os.path.join(DATA, "*.jsonl"))):
        done = subprocess.run([rmg, "eval", "--reward", "code_execution", "--input", path, "--no-progress"] + params,
                              check=True, capture_output=True, text=True)
        agree = n = 0
        for line in done.stdout.splitlines():
            if not line.strip():
                continue
            sample = json.loads(line)
            for index, output in enumerate(sample["output"]):
                answer = output["answer"]
                score = answer["reward"]["score"]
                n += 1
                if meets(score, answer["label"]):
                    agree += 1
                else:
                    reason = answer["reward"]["details"][0]["reason"] if answer["reward"]["details"] else ""
                    exceptions.append(f"{sample['unique_id']}#{index} score={score} label="
                                      f"{ {k: v for k, v in answer['label'].items() if k.startswith('expected')} }: {reason[:200]}")
        total[0] += agree
        total[1] += n
        print(f"{os.path.basename(path):34} {agree:4} / {n:4}")
    print(f"{'total':34} {total[0]:4} / {total[1]:4}")
    if listing:
        for line in exceptions:
            print(line)


if __name__ == "__main__":
    main()
