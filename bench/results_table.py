#!/usr/bin/env python3
"""Turns a rewards_bench JSON report into the Markdown table of bench/RESULTS.md.

usage: rewards_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
           --benchmark_out=run.json --benchmark_out_format=json
       bench/results_table.py run.json

Rows: every BM_Evaluate benchmark (median samples/s, from CPU time), with
RM-Gallery's figure and the target where there is one, and the BM_Apply and
copy-baseline medians beside it.
"""
import json
import sys

# RM-Gallery v0.1.4 samples/s on rule_workload.jsonl (shared/data/bench/README.md),
# keyed by the benchmark label whose setting matches the one RM-Gallery measured.
RM_GALLERY = {
    "accuracy": 16059,
    "f1_score/tokenizer=simple": 5780,
    "rouge/variant=rougeL,tokenizer=simple": 40,
    "number_accuracy": 4982,
    "reasoning_format": 11296,
    "reasoning_tool_call_format": 10950,
    "length_penalty": 14897,
    "ngram_repetition_penalty/tokenizer=simple": 4994,
    "privacy_leakage": 2894,
    "code_syntax_check": 13469,
    "code_style": 13731,
    "code_patch_similarity": 337,
}
TARGET = {"code_patch_similarity": 20}  # every other reward: 50x


def medians(report):
    out = {}
    for bench in report["benchmarks"]:
        if bench.get("aggregate_name", "median") != "median":
            continue
        name = bench["run_name"] if "run_name" in bench else bench["name"]
        out[name.removesuffix("_median")] = bench
    return out


def main():
    report = json.load(open(sys.argv[1]))
    rows = medians(report)
    load = report["context"].get("load_avg", [])
    print(f"run: {report['context'].get('date')}, load average {', '.join(f'{x:.1f}' for x in load)}")
    copy = rows.get("BM_Baseline/copy_sample")
    if copy:
        print(f"copy+destroy of a sample alone: {copy['items_per_second']:,.0f} samples/s")
    print()
    print("| reward (setting) | rmg samples/s | RM-Gallery samples/s | ratio | target | met? | Apply only, samples/s |")
    print("|---|---:|---:|---:|---:|:-:|---:|")
    labels = [name.removeprefix("BM_Evaluate/") for name in rows if name.startswith("BM_Evaluate/")]
    for label in sorted(labels):
        rate = rows["BM_Evaluate/" + label]["items_per_second"]
        apply = rows.get("BM_Apply/" + label, {}).get("items_per_second")
        apply_text = f"{apply:,.0f}" if apply else "-"
        reward = label.split("/")[0]
        if label in RM_GALLERY:
            base = RM_GALLERY[label]
            target = TARGET.get(reward, 50)
            ratio = rate / base
            met = "yes" if ratio >= target else "**no**"
            print(f"| {label} | {rate:,.0f} | {base:,} | {ratio:,.1f}x | {target}x | {met} | {apply_text} |")
        else:
            print(f"| {label} | {rate:,.0f} | - | - | - | - | {apply_text} |")
    missing = sorted(set(RM_GALLERY) - set(labels))
    for label in missing:
        print(f"| {label} | not registered | {RM_GALLERY[label]:,} | - | {TARGET.get(label.split('/')[0], 50)}x | - | - |")


if __name__ == "__main__":
    main()
