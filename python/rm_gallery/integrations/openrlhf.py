"""OpenRLHF: `reward_func(queries, prompts, labels)` for `--remote_rm_url file.py`.

OpenRLHF passes each query (the prompt followed by the response), its prompt and its
label. The response is the query minus its prompt prefix (the whole query when it does
not start with the prompt); the label becomes `label.reference`. The reward is the
registered rmg reward named by the environment variable RMG_REWARD (default
math_verify_reward) with the JSON object in RMG_REWARD_PARAMS as its parameters; the
batch is scored by one C++ evaluate_batch call (GIL released, RMG_WORKERS threads,
default the cores).

Returns {"rewards", "scores", "extra_logs": {detail name: per-sample score, ...,
"rmg_failed": 1.0 where a unit failed or timed out (its score is error_score, not a
verdict) or the sample could not be scored at all (0.0 then), else 0.0}}, as torch tensors when torch can be imported and as lists
otherwise; a sample without a detail logs 0.0 for it. `rmg serve`'s POST /get_reward answers the same, and refuses
the same inputs: a query that is not a string, a label that is not a string, a number
or None (ValueError naming `query[i]` or `labels[i]`; the server's 422).
"""

import json
import os

from rm_gallery.integrations._common import Scored, sample, score_groups

DEFAULT_REWARD = "math_verify_reward"


def response_text(query, prompt):
    """The response part of `query`: what follows `prompt` when the query starts with it."""
    return query[len(prompt):] if prompt and query.startswith(prompt) else query


def _type_name(value):
    """The JSON name of a value's type, as the server's messages say it."""
    names = {dict: "object", list: "array", tuple: "array", bool: "boolean", int: "number", float: "number",
             type(None): "null", str: "string"}
    return names.get(type(value), type(value).__name__)


def _label(value, index):
    """label.reference from labels[index]: a string as is, a number as its text, None as no
    label; anything else is refused, as /get_reward refuses it."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"reference": value}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"reference": json.dumps(value)}
    raise ValueError(f"labels[{index}]: expected a string, a number or null, got {_type_name(value)}")


def _query(value, index):
    if not isinstance(value, str):
        raise ValueError(f"query[{index}]: expected a string, got {_type_name(value)}")
    return value


def _tensor_or_list(values):
    try:
        import torch
    except ImportError:
        return list(values)
    return torch.tensor(values, dtype=torch.float32)


def reward_func(queries, prompts, labels):
    """Scores each query's response with RMG_REWARD; see the module docstring."""
    name = os.environ.get("RMG_REWARD", "").strip() or DEFAULT_REWARD
    params = json.loads(os.environ.get("RMG_REWARD_PARAMS", "") or "{}")
    count = len(queries)
    prompts = list(prompts) if prompts is not None else [""] * count
    labels = list(labels) if labels is not None else [None] * count
    if len(prompts) != count or len(labels) != count:
        raise ValueError(f"reward_func: {count} queries but {len(prompts)} prompts and {len(labels)} labels")
    jobs = [(name, params, sample(f"openrlhf-{i}", response_text(_query(q, i), p or ""), _label(l, i), p or None))
            for i, (q, p, l) in enumerate(zip(queries, prompts, labels))]
    # A sample that cannot be scored (a lone surrogate in its query, say) scores 0.0 and is
    # marked in rmg_failed; the others are scored.
    scored = [Scored(0.0, failed=True) if isinstance(s, Exception) else s for s in score_groups(jobs, keep_errors=True)]
    scores = [s.score for s in scored]
    columns = {}
    for i, s in enumerate(scored):
        for detail, value in s.details.items():
            columns.setdefault(detail, [0.0] * count)[i] = value
    columns["rmg_failed"] = [1.0 if s.failed else 0.0 for s in scored]
    return {
        "rewards": _tensor_or_list(scores),
        "scores": _tensor_or_list(scores),
        "extra_logs": {detail: _tensor_or_list(column) for detail, column in columns.items()},
    }


__all__ = ["reward_func", "response_text"]
