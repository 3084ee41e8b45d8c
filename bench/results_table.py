#!/usr/bin/env python3
"""Turns one or more rewards_bench JSON reports into the Markdown tables of bench/RESULTS.md.

usage: rewards_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
           --benchmark_out=run1.json --benchmark_out_format=json
       (repeat for run2.json, run3.json, ... if wanted)
       bench/results_table.py run1.json [run2.json ...]
       bench/results_table.py --versus a1.json [a2.json ...] -- b1.json [b2.json ...]

Every figure is samples/s computed from CPU time. Within one report a figure is the
median of its repetitions (Google Benchmark's `_median` aggregate). With several
reports the table gives the median of the per-report medians, plus a "range over
runs" column with the ratios of the smallest and the largest per-report median
(the column is left out for a single report).

Tables printed:
  1. the main table: every reward that has an RM-Gallery figure, with BOTH rmg
     figures, each with its ratio to RM-Gallery's figure and whether the target
     (50x, 20x for code_patch_similarity) is met:
       Apply     BM_Apply/<label>: the reward scores a sample in place (what
                 `rmg eval` does: it parses each sample once and never copies it)
       Evaluate  BM_Evaluate/<label>: copy the sample, score the copy, return it,
                 destroy it (the same steps as RM-Gallery's evaluate)
  2. the rewards and settings that have no RM-Gallery figure (so no target).

With --versus, one table instead compares two sets of reports (say glibc malloc
against LD_PRELOAD=libjemalloc.so.2) benchmark by benchmark: the median over each
set's reports, their range, and the second set's figure divided by the first's.
"""
import json
import statistics
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
    """{benchmark name: median samples/s} of one report."""
    out = {}
    for bench in report["benchmarks"]:
        if bench.get("aggregate_name", "median") != "median":
            continue
        name = bench["run_name"] if "run_name" in bench else bench["name"]
        out[name.removesuffix("_median")] = bench["items_per_second"]
    return out


def combine(runs):
    """{name: (median over runs, min, max)} for the names present in every run."""
    names = set(runs[0])
    for run in runs[1:]:
        names &= set(run)
    return {n: (statistics.median(r[n] for r in runs), min(r[n] for r in runs), max(r[n] for r in runs))
            for n in names}


def versus(first_paths, second_paths):
    first = combine([medians(json.load(open(p))) for p in first_paths])
    second = combine([medians(json.load(open(p))) for p in second_paths])
    print("| benchmark | first set, samples/s (range) | second set, samples/s (range) | second / first |")
    print("|---|---:|---:|---:|")
    order = {"BM_Baseline": 0, "BM_Evaluate": 1, "BM_Apply": 2}
    for name in sorted(set(first) & set(second), key=lambda n: (order.get(n.split("/")[0], 3), n)):
        a, a_low, a_high = first[name]
        b, b_low, b_high = second[name]
        print(f"| `{name}` | {a:,.0f} ({a_low:,.0f}–{a_high:,.0f}) | {b:,.0f} ({b_low:,.0f}–{b_high:,.0f}) | {b / a:.2f}× |")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if sys.argv[1] == "--versus":
        if "--" not in sys.argv[2:]:
            sys.exit(__doc__)
        split = sys.argv.index("--", 2)
        versus(sys.argv[2:split], sys.argv[split + 1:])
        return
    reports = [json.load(open(path)) for path in sys.argv[1:]]
    rows = combine([medians(report) for report in reports])
    multi = len(reports) > 1

    for path, report in zip(sys.argv[1:], reports):
        load = report["context"].get("load_avg", [])
        print(f"{path}: {report['context'].get('date')}, load average at start "
              f"{', '.join(f'{x:.2f}' for x in load)}")
    print()

    if "BM_Baseline/copy_sample" in rows:
        value, low, high = rows["BM_Baseline/copy_sample"]
        print(f"copy floor (BM_Baseline/copy_sample, copy + destroy, no reward): {value:,.0f} samples/s"
              + (f" (runs: {low:,.0f}–{high:,.0f})" if multi else ""))
        print()

    labels = sorted(name.removeprefix("BM_Evaluate/") for name in rows if name.startswith("BM_Evaluate/"))

    def cells_for(label, kind, base, target):
        name = f"BM_{kind}/{label}"
        if name not in rows:
            return ["-", "-"] + (["-"] if multi else []) + ["-"]
        value, low, high = rows[name]
        ratio = value / base
        cells = [f"{value:,.0f}", f"{ratio:,.1f}×"]
        if multi:
            cells.append(f"{low / base:,.1f}–{high / base:,.1f}×")
        return cells + ["yes" if ratio >= target else "**no**"]

    spread = " range over runs |" if multi else ""
    align = "---:|" if multi else ""
    print("| reward (setting) | RM-Gallery samples/s | target | Apply samples/s | Apply ratio |" + spread
          + " Apply met? | Evaluate samples/s | Evaluate ratio |" + spread + " Evaluate met? |")
    print("|---|---:|---:|---:|---:|" + align + ":-:|---:|---:|" + align + ":-:|")
    for label in sorted(RM_GALLERY):
        base = RM_GALLERY[label]
        target = TARGET.get(label.split("/")[0], 50)
        if label in labels:
            cells = cells_for(label, "Apply", base, target) + cells_for(label, "Evaluate", base, target)
        else:
            blank = ["not registered", "-"] + (["-"] if multi else []) + ["-"]
            cells = blank + blank
        print(f"| `{label}` | {base:,} | {target}× ({base * target:,}/s) | " + " | ".join(cells) + " |")
    print()

    others = [label for label in labels if label not in RM_GALLERY]
    if others:
        extra = " range over runs |" if multi else ""
        print("| reward (setting) | Apply samples/s |" + extra + " Evaluate samples/s |" + extra)
        print("|---|---:|" + align + "---:|" + align)
        for label in others:
            cells = []
            for kind in ("Apply", "Evaluate"):
                name = f"BM_{kind}/{label}"
                if name not in rows:
                    cells += ["-"] + (["-"] if multi else [])
                    continue
                value, low, high = rows[name]
                cells += [f"{value:,.0f}"] + ([f"{low:,.0f}–{high:,.0f}"] if multi else [])
            print(f"| `{label}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
