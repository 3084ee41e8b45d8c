#!/usr/bin/env python3
"""Markdown list of math_verify_bench's disagreements, one line each, with the kind of
miss read from what each side yielded.

usage: build/release/math_verify_bench --runs 1 --list-disagreements | bench/math_disagreements.py
"""
import re
import sys

LINE = re.compile(r"DISAGREE (\S+) expected=(\d) got=(\d) \| gold: (.*?) \| pred: (.*?) \| (.*)$")


def reason(expected, gold, pred, explanation):
    if expected == "0":
        return "false positive: the other problem's answer has the same value"
    if not pred:
        return "nothing extracted: " + explanation
    if re.search(r"<|>|!=", pred):
        return "the solution ends on an inequality of its argument, not on the answer"
    if re.fullmatch(r"[A-Za-z](_\{?[\w\-]+\}?)?", pred):
        return "the last statement names a quantity; its value is stated elsewhere"
    if re.search(r"\b[nkmN]\b", gold) and not re.search(r"\b[nkmN]\b", pred):
        return "the answer is a formula in n; the solution ends on a special case or a count"
    if "," in gold and "," not in pred:
        return "the answer is several values; the solution's last sentence gives one of them"
    if gold.startswith("f(") or "f(x)" in gold or "f(n)" in gold:
        return "the answer is a function; the solution ends by checking it"
    return "the final statement is not the answer (proof-style solution)"


def main():
    for line in sys.stdin:
        match = LINE.search(line)
        if not match:
            continue
        sample, expected, got, gold, pred, explanation = match.groups()
        gold, pred = gold.strip(), pred.strip()
        print(f"- `{sample}` expected {expected}, got {got}: gold `{gold[:60]}`, extracted `{pred[:60]}` — "
              f"{reason(expected, gold, pred, explanation.strip())}")


if __name__ == "__main__":
    main()
