#!/usr/bin/env python3
"""Agreement of `rmg eval --reward math_verify_reward` with label.expected.

usage: bench/math_agreement.py [RMG_BINARY] [--list]

Runs the real command line on ../shared/data/math/competition_answers.jsonl (default
parameters) and on mathverify_cases.jsonl, whose cases carry the verifier options of
the upstream tests in metadata: those are grouped by (float_rounding, strict,
allow_set_relation_comp) and each group is evaluated with the matching --param
values. Prints agreement per dataset; --list also prints every disagreement with the
reward's reason.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "math")


def run_eval(rmg, path, params):
    command = [rmg, "eval", "--reward", "math_verify_reward", "--input", path, "--no-progress"]
    for key, value in params.items():
        command += ["--param", f"{key}={value}"]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def tally(samples, dataset_of, counts, disagreements):
    for sample in samples:
        dataset = dataset_of(sample)
        for index, output in enumerate(sample["output"]):
            answer = output["answer"]
            expected = answer["label"]["expected"]
            got = answer["reward"]["score"]
            counts[dataset][1] += 1
            if (got >= 0.5) == (expected == 1):
                counts[dataset][0] += 1
            else:
                reason = answer["reward"]["details"][0]["reason"]
                disagreements.append(f"{sample['unique_id']}#{index} expected={expected} got={got}: {reason[:240]}")


def main():
    args = [a for a in sys.argv[1:] if a != "--list"]
    rmg = args[0] if args else os.path.join(HERE, "..", "build", "release", "rmg")
    counts = collections.defaultdict(lambda: [0, 0])
    disagreements = []

    samples = run_eval(rmg, os.path.join(DATA, "competition_answers.jsonl"), {})
    tally(samples, lambda s: s["metadata"]["dataset"], counts, disagreements)

    groups = collections.defaultdict(list)
    with open(os.path.join(DATA, "mathverify_cases.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                m = json.loads(line)["metadata"]
                groups[(m["float_rounding"], m["strict"], m["allow_set_relation_comp"])].append(line)
    with tempfile.TemporaryDirectory() as tmp:
        for (rounding, strict, set_relation), lines in sorted(groups.items()):
            path = os.path.join(tmp, "group.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(lines)
            params = {"float_rounding": rounding, "strict": str(strict).lower(),
                      "allow_set_relation_comp": str(set_relation).lower()}
            tally(run_eval(rmg, path, params), lambda s: "mathverify_cases", counts, disagreements)

    total = [0, 0]
    for dataset in sorted(counts):
        agree, n = counts[dataset]
        total[0] += agree if dataset != "mathverify_cases" else 0
        total[1] += n if dataset != "mathverify_cases" else 0
        print(f"{dataset:18} {agree:5} / {n:5}  {100.0 * agree / n:.1f}%")
    print(f"{'competition total':18} {total[0]:5} / {total[1]:5}  {100.0 * total[0] / total[1]:.1f}%")
    if "--list" in sys.argv:
        for line in disagreements:
            print(line)


if __name__ == "__main__":
    main()
