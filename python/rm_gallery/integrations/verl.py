"""verl: `compute_score` / `compute_score_batch` for verl's custom reward function.

Dispatches on `data_source` as verl's default scorer does, onto rmg's rewards:

- `openai/gsm8k` (and `gsm8k`): the answer after `#### ` (method="strict", verl's
  default; the last such number, commas and `$` removed) or the last number in the
  text (method="flexible"); compared with the ground truth by rmg's `accuracy`.
  A right answer scores 1.0, a wrong one `format_score` (default 0.0), none 0.0.
  No C++ reward extracts GSM8K's `#### N` strictly, so that one step is Python.
- MATH-style sources (`lighteval/MATH`, `DigitalLearningGmbH/MATH-lighteval`,
  `HuggingFaceH4/MATH-500`, `numina_*`): rmg's `math_verify_reward` on the response
  against the ground truth: 1.0 equal, else 0.0.
- `hiyouga/geometry3k`: verl's geo3k scorer, 0.9 x that accuracy + 0.1 x the format
  (`<think>...</think>` then a `\boxed{}`; kwarg `format_score`, default 0.1).
- math_dapo's sources (`math`, `math_dapo*`, `aime*`) keep verl's answer format: the
  answer is the text after the last "Answer:" in the response's last 300 characters
  (with kwarg `strict_box_verify=True`, the last `\boxed{}` there instead), compared
  with the ground truth by `math_verify_reward`: 1.0 right, -1.0 wrong or missing,
  as verl's math_dapo scorer; `pred` is "[INVALID]" when there is no answer.
- Code with test cases (`codecontests`, `apps`, `codeforces`, `taco`,
  `livecodebench`, also as the last part of a hub name such as `org/apps`):
  rmg's `code_execution` in its sandbox. The ground truth is APPS' layout
  (`{"inputs": [...], "outputs": [...], "fn_name"?}`, as a dict or JSON text), a
  list of `{"input", "output"}` tests, or assert-style Python test code.
- anything else: the reward named in `extra_info["reward"]` with
  `extra_info.get("reward_params")`, the ground truth as `label.reference` (or as the
  whole label when it is a dict); otherwise ValueError naming the source.

`extra_info["reward_params"]` also sets the parameters of the math and code rewards
(e.g. `{"continuous": false}`: a code answer scores 1.0 only when every test passes). Every result has the same keys, as verl's reward
managers collect them per key: `score` (float), `acc` (bool: score is 1.0), `pred`
(the extracted answer, "" for code), `reward` (the rmg reward used) and `reason`.

verl config (single samples, NaiveRewardManager):

    custom_reward_function:
      path: <site-packages>/rm_gallery/integrations/verl.py
      name: compute_score

and for the batch reward manager (`reward_model.reward_manager=batch`), name
`compute_score_batch`: one C++ batch per reward, GIL released.
"""

import json
import re

from rm_gallery.integrations._common import sample, score_groups, to_json

GSM8K_SOURCES = {"openai/gsm8k", "gsm8k"}
MATH_SOURCES = {"lighteval/math", "digitallearninggmbh/math-lighteval", "huggingfaceh4/math-500"}
GEOMETRY_SOURCES = {"hiyouga/geometry3k"}
CODE_SOURCES = {"codecontests", "code_contests", "apps", "codeforces", "taco", "livecodebench"}

_STRICT = re.compile(r"#### (-?[0-9.,]+)")
_NUMBER = re.compile(r"-?[0-9.,]+")
_DAPO_ANSWER = re.compile(r"(?i)Answer\s*:\s*([^\n]+)")
_DAPO_TAIL = 300  # verl's math_dapo reads only the response's last 300 characters


def _geo_well_formed(text):
    r"""verl's geo3k format: the whole text matches <think>.*</think>.*\\boxed\{.*\}.* (DOTALL).
    Found with one left-to-right scan: that regex backtracks cubically on a text of many
    "</think>\boxed{" with no closing brace, seconds at 20 KB with the GIL held."""
    if not text.startswith("<think>"):
        return False
    think_end = text.find("</think>", len("<think>"))
    if think_end < 0:
        return False
    box = text.find("\\boxed{", think_end + len("</think>"))
    return box >= 0 and text.find("}", box + len("\\boxed{")) >= 0


def extract_gsm8k_answer(solution_str, method="strict"):
    """GSM8K's final answer in a response, or None.

    strict: the number after the last "#### " with commas and "$" removed;
    flexible: the last run of digits, dots and commas that is not just "." (as verl)."""
    if method == "strict":
        found = _STRICT.findall(solution_str)
        return found[-1].replace(",", "").replace("$", "") if found else None
    if method == "flexible":
        for token in reversed(_NUMBER.findall(solution_str)):
            if token not in ("", "."):
                return token
        return None
    raise ValueError(f"gsm8k method must be 'strict' or 'flexible', got {method!r}")


def last_boxed(text):
    """`\\boxed{...}` the last box in `text` holds (braces balanced), or None."""
    start = text.rfind("\\boxed")
    while start >= 0:
        open_at = start + len("\\boxed")
        while open_at < len(text) and text[open_at] == " ":
            open_at += 1
        if open_at < len(text) and text[open_at] == "{":
            depth = 0
            for end in range(open_at, len(text)):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                if depth == 0:
                    return "\\boxed{" + text[open_at + 1:end] + "}"
        start = text.rfind("\\boxed", 0, start)
    return None


def extract_dapo_answer(solution_str, strict_box_verify=False):
    """math_dapo's answer in a response, or None: in its last 300 characters, the text
    after the last "Answer:" (any case) up to the line's end, or with
    strict_box_verify the last \\boxed{}."""
    tail = solution_str[-_DAPO_TAIL:]
    if strict_box_verify:
        return last_boxed(tail)
    found = _DAPO_ANSWER.findall(tail)
    return found[-1].strip() if found else None


def _source_kind(data_source):
    source = str(data_source).lower()
    base = source.rsplit("/", 1)[-1]
    if source in GSM8K_SOURCES:
        return "gsm8k"
    if source == "math" or source.startswith(("math_dapo", "aime")):
        return "dapo"
    if source in GEOMETRY_SOURCES:
        return "geometry"
    if source in MATH_SOURCES or source.startswith("numina_"):
        return "math"
    if source in CODE_SOURCES or base in CODE_SOURCES or base.replace("-", "_") in CODE_SOURCES:
        return "code"
    return None


def _code_label(ground_truth, extra_info):
    """rmg's label for code_execution from verl's ground truth (see the module docstring)."""
    value = ground_truth.tolist() if hasattr(ground_truth, "tolist") else ground_truth  # numpy, from parquet
    if isinstance(value, (bytes, bytearray)):
        value = value.decode()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {"test_code": ground_truth}  # assert-style Python tests
    if isinstance(value, list) and all(isinstance(t, dict) and "input" in t and "output" in t for t in value):
        value = {"inputs": [t["input"] for t in value], "outputs": [t["output"] for t in value]}
        fn_name = (extra_info or {}).get("fn_name")
        if fn_name:
            value["fn_name"] = fn_name
    if isinstance(value, dict) and ("test_code" in value or "inputs_outputs" in value):
        return dict(value)
    if isinstance(value, dict):
        return {"inputs_outputs": value}
    raise ValueError(f"code ground truth: expected APPS inputs/outputs, a list of tests or test code, "
                     f"got {type(ground_truth).__name__}")


def _reference(ground_truth):
    """label.reference text from a ground truth: a string as is, a number as text, a
    one-element list (or array) by its element, anything else as JSON. None (no ground
    truth) is a ValueError: as JSON it would be the answer "null", which a policy could learn."""
    if hasattr(ground_truth, "tolist"):  # numpy scalars and arrays from parquet columns
        ground_truth = ground_truth.tolist()
    if isinstance(ground_truth, (list, tuple)) and len(ground_truth) == 1:
        ground_truth = ground_truth[0]
    if ground_truth is None:
        raise ValueError("no ground truth (None) to check the answer against")
    if isinstance(ground_truth, str):
        return ground_truth
    if isinstance(ground_truth, (int, float)):
        return str(ground_truth)
    return to_json(ground_truth, ensure_ascii=False)


def _plan(index, data_source, solution_str, ground_truth, extra_info, kwargs):
    """(job or None, finish) for one sample: job = (reward, params, sample dict);
    finish(Scored or None) -> the result dict."""
    extra_info = extra_info if isinstance(extra_info, dict) else {}
    params = dict(extra_info.get("reward_params") or {})
    kind = _source_kind(data_source)
    solution_str = "" if solution_str is None else str(solution_str)
    uid = f"verl-{index}"

    if kind == "gsm8k":
        method = kwargs.get("method", extra_info.get("method", "strict"))
        format_score = float(kwargs.get("format_score", extra_info.get("format_score", 0.0)))
        answer = extract_gsm8k_answer(solution_str, method)
        gold = _reference(ground_truth)
        if "####" in gold:  # a whole GSM8K solution given as ground truth
            gold = gold.rsplit("####", 1)[1].strip().replace(",", "")
        if answer is None:
            return None, lambda _: _result(0.0, None, "", "accuracy", "no answer found (" + method + ")")
        job = ("accuracy", {}, sample(uid, answer, {"reference": gold}))

        def finish(scored):
            right = scored.score >= 1.0
            return _result(1.0 if right else format_score, right, answer, "accuracy", scored.reason)
        return job, finish

    if kind == "dapo":
        strict_box = bool(kwargs.get("strict_box_verify", extra_info.get("strict_box_verify", False)))
        answer = extract_dapo_answer(solution_str, strict_box)
        if answer is None:
            where = "a \\boxed{}" if strict_box else "an 'Answer:' line"
            return None, lambda _: _result(-1.0, False, "[INVALID]", "math_verify_reward",
                                           f"no answer: {where} in the last {_DAPO_TAIL} characters (math_dapo's format)")
        job = ("math_verify_reward", params, sample(uid, answer, {"reference": _reference(ground_truth)}))
        return job, lambda s: _result(1.0 if s.score >= 1.0 else -1.0, s.score >= 1.0, answer, "math_verify_reward",
                                      s.reason)

    if kind in ("math", "geometry"):
        job = ("math_verify_reward", params, sample(uid, solution_str, {"reference": _reference(ground_truth)}))
        format_weight = float(kwargs.get("format_score", extra_info.get("format_score", 0.1)))

        def finish(scored):
            right = scored.score >= 1.0
            score = scored.score
            if kind == "geometry":  # verl's geo3k: (1 - w) * accuracy + w * format
                well_formed = _geo_well_formed(solution_str)
                score = (1.0 - format_weight) * score + format_weight * (1.0 if well_formed else 0.0)
            return _result(score, right, str(scored.extra.get("prediction_extracted", "")), "math_verify_reward",
                           scored.reason)
        return job, finish

    if kind == "code":
        job = ("code_execution", params, sample(uid, solution_str, _code_label(ground_truth, extra_info)))
        return job, lambda s: _result(s.score, s.score >= 1.0, "", "code_execution", s.reason)

    name = extra_info.get("reward")
    if not name:
        raise ValueError(f"rm_gallery.integrations.verl: no reward for data_source {data_source!r}; "
                         f"name one in extra_info['reward'] (see `rmg list`)")
    label = dict(ground_truth) if isinstance(ground_truth, dict) else \
        ({} if ground_truth is None else {"reference": _reference(ground_truth)})
    prompt = extra_info.get("question") if isinstance(extra_info.get("question"), str) else None
    job = (name, params, sample(uid, solution_str, label, prompt))
    return job, lambda s: _result(s.score, s.score >= 1.0, "", name, s.reason)


def _result(score, acc, pred, reward_name, reason):
    return {"score": float(score), "acc": bool(acc), "pred": pred or "", "reward": reward_name, "reason": reason}


def _run(plans, workers, keep_errors=False):
    jobs = [job for job, _ in plans if job is not None]
    scored = iter(score_groups(jobs, workers, keep_errors))
    results = []
    for index, (job, finish) in enumerate(plans):
        outcome = next(scored) if job is not None else None
        if isinstance(outcome, Exception):
            why = outcome.args[0] if isinstance(outcome, KeyError) and outcome.args else outcome  # no repr quotes
            results.append(_result(0.0, False, "", job[0], f"sample {index}: {why}"))
        else:
            results.append(finish(outcome))
    return results


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """Scores one response; returns {"score": float, "acc", "pred", "reward", "reason"}.

    kwargs: method ("strict" | "flexible") and format_score for GSM8K, format_score for
    geometry3k, strict_box_verify for math_dapo's sources; others are ignored."""
    return _run([_plan(0, data_source, solution_str, ground_truth, extra_info, kwargs)], 1)[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, **kwargs):
    """compute_score for a batch (verl's BatchRewardManager): a list of result dicts in order.

    A sample that compute_score would refuse (a ground truth of the wrong shape, no reward
    for its source, an unknown reward or parameter in its extra_info, text that is not
    valid Unicode) scores 0.0 with reason "sample <i>: <why>"; the others are scored.

    Samples for the same reward and parameters are scored by one C++ evaluate_batch call
    on rmg's thread pool (kwargs max_workers, default RMG_WORKERS or the cores)."""
    count = len(solution_strs)
    if len(data_sources) != count or len(ground_truths) != count or (extra_infos is not None and len(extra_infos) != count):
        raise ValueError("compute_score_batch: data_sources, solution_strs, ground_truths and extra_infos "
                         "must have the same length")
    extra_infos = extra_infos if extra_infos is not None else [None] * count
    plans = []
    for i in range(count):
        try:
            plans.append(_plan(i, data_sources[i], solution_strs[i], ground_truths[i], extra_infos[i], kwargs))
        except (ValueError, TypeError) as error:  # one bad sample scores 0 with the reason; the rest are scored
            plans.append((None, lambda _, why=f"sample {i}: {error}": _result(0.0, False, "", "", why)))
    return _run(plans, kwargs.get("max_workers"), keep_errors=True)


__all__ = ["compute_score", "compute_score_batch", "extract_dapo_answer", "extract_gsm8k_answer", "last_boxed"]
