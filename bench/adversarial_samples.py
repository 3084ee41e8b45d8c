#!/usr/bin/env python3
"""Writes samples built to be slow or to confuse the rule rewards, one per line.

Each sample's metadata.case names it. Used in bench/RESULTS.md ("Responses built to be
slow"): every rule reward must score each of them within the per-sample deadline,
without an error and without a verdict read from a fragment of an answer.

    python3 bench/adversarial_samples.py /tmp/adversarial.jsonl
"""
import json
import random
import sys

MEGA = 1_000_000


def sample(index, case, response, reference):
    return {
        "unique_id": f"adversarial-{index}",
        "input": [{"role": "user", "content": "q"}],
        "output": [{"answer": {"role": "assistant", "content": response, "label": {"reference": reference}}}],
        "metadata": {"case": case},
    }


def cases():
    rng = random.Random(1)
    words = lambda n, alphabet: " ".join(rng.choice(alphabet) for _ in range(n))
    yield "one_huge_token", "a" * (4 * MEGA), "a" * (4 * MEGA)
    yield "many_tokens", "a " * (2 * MEGA), "b " * (2 * MEGA)
    yield "distinct_tokens", " ".join(map(str, range(400000))), " ".join(map(str, range(400000, 0, -1)))
    yield "digits_commas", ",".join("1" * MEGA), ",".join("1" * MEGA)
    yield "long_number", "9" * MEGA, "9" * MEGA
    yield "think_tags", "<think>" * 200000 + "</think>" * 200000, "x"
    yield "tool_tags", "<think>a</think>" + "<tool_call>" * 100000 + "</tool_call>" * 100000, "x"
    yield "emails", "a@" * MEGA, "x"
    yield "emails2", "a." * MEGA + "@b", "x"
    yield "digits_spaces", "1 " * MEGA, "x"
    yield "code_fences", "```python\n" * 100000, "```python\n" * 100000
    yield "lcs_words", words(200000, "abcdefgh"), words(200000, "abcdefgh")
    yield "lines", "\n".join(rng.choice("abc") for _ in range(300000)), "\n".join(
        rng.choice("abc") for _ in range(300000))
    yield "frac_nest", "\\boxed{" + "\\frac{1}{" * 50000 + "2" + "}" * 50000 + "}", "1"
    yield "paren_nest", "\\boxed{" + "(" * 100000 + "1" + ")" * 100000 + "}", "1"
    yield "power_tower", "\\boxed{" + "^".join(["9"] * 5000) + "}", "9^9^9"
    yield "big_factorial", "\\boxed{99999999999!}", "1"
    yield "sqrt_nest", "\\boxed{" + "\\sqrt{" * 30000 + "2" + "}" * 30000 + "}", "2"
    yield "cjk", "\u6c49\u5b57" * MEGA, "\u6c49\u5b57" * MEGA
    yield "combining", "a" + "\u0301" * MEGA, "a"
    yield "replacement_chars", "\ufffd" * MEGA, "x"
    yield "boxed_many", "\\boxed{1}" * 200000, "1"
    yield "matrix", "\\boxed{\\begin{pmatrix}" + "&".join(["1"] * 100000) + "\\end{pmatrix}}", "1"
    pmatrix = "\\begin{pmatrix}1&1\\\\1&1\\end{pmatrix}"
    yield "matrix_chain", "\\boxed{" + pmatrix * 40 + "}", "\\boxed{" + pmatrix + "}"
    yield "big_exp", "\\boxed{10^{10^{10^{10}}}}", "10^{10^{10^{10}}}"
    yield "int_huge", "\\boxed{" + "7" * 200000 + "}", "7" * 200000
    yield "decimals", "\\boxed{0." + "3" * 200000 + "}", "1/3"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: adversarial_samples.py OUTPUT.jsonl")
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for index, (case, response, reference) in enumerate(cases()):
            out.write(json.dumps(sample(index, case, response, reference)) + "\n")


if __name__ == "__main__":
    main()
