"""Shared plumbing of the trainer integrations: samples as dicts, rewards by name, scoring in C++.

A trainer hands over plain strings; each becomes a one-output DataSample dict
(`sample()`), is scored by a registered C++ reward built once per (name, parameters)
(`reward()`), and comes back as a `Scored` (score, detail scores, reason, extra data).
`score_groups()` runs one rmg batch per reward: the GIL is released and the samples
are spread over rmg's thread pool.
"""

import json
import os
import threading

from rm_gallery import _rmg

_rewards = {}
_lock = threading.Lock()


def _plain(value):
    """json.dumps's fallback for numpy arrays and scalars (what parquet and pandas readers
    give): their Python lists and numbers."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"a value of type {type(value).__name__} cannot be written as JSON")


def to_json(value, **kwargs):
    """`value` as JSON text; numpy values as lists and numbers. NaN and infinity, which
    JSON cannot carry, raise ValueError."""
    try:
        return json.dumps(value, default=_plain, allow_nan=False, **kwargs)
    except ValueError as error:
        if "Out of range float" in str(error):
            raise ValueError("it holds NaN or infinity, which JSON cannot carry") from None
        raise


def reward(name, params=None):
    """The C++ reward `name` with `params` (a dict), built once and shared by threads.

    An unknown name raises KeyError listing close names, a bad parameter (or a name that
    is not a string) ValueError."""
    if not isinstance(name, str):
        raise ValueError(f"a reward name must be a string, got {type(name).__name__}")
    key = (name, to_json(params or {}, sort_keys=True))
    with _lock:
        model = _rewards.get(key)
        if model is None:
            model = _rmg.create_reward(name, key[1])
            _rewards[key] = model
    return model


def default_workers():
    """Threads for a batch: RMG_WORKERS if set, else the machine's cores."""
    value = os.environ.get("RMG_WORKERS", "")
    return max(1, int(value)) if value.strip() else (os.cpu_count() or 1)


def sample(uid, response, label=None, prompt=None, metadata=None):
    """A DataSample dict: the prompt as a user message (if any), the response as the one answer."""
    data = {
        "unique_id": str(uid),
        "input": [{"role": "user", "content": prompt}] if prompt else [],
        "output": [{"answer": {"role": "assistant", "content": response, "label": label or {}}}],
    }
    if metadata:
        data["metadata"] = metadata
    return data


class Scored:
    """What one output got: score, {detail name: score}, the first reason, extra data, and
    whether a unit failed (its score is error_score, not a verdict: rmg records
    {"error": reason} where the unit's extra data goes)."""

    def __init__(self, score, details=None, reason="", extra=None, failed=False):
        self.score = float(score)
        self.details = details or {}
        self.reason = reason
        self.extra = extra or {}
        self.failed = failed

    @classmethod
    def from_sample(cls, scored):
        answer = scored["output"][0]["answer"]
        result = answer.get("reward") or {}
        details = result.get("details") or []
        extra = answer.get("additional_kwargs") or {}
        failed = any(isinstance(value, dict) and "error" in value for value in extra.values())
        return cls(result.get("score", 0.0), {d["name"]: float(d["score"]) for d in details},
                   details[0]["reason"] if details else "", extra.get(details[0]["name"], {}) if details else {},
                   failed)


def score_groups(jobs, workers=None, keep_errors=False):
    """Scores `jobs`, a list of (reward name, params, sample dict), in input order.

    Jobs sharing a reward and parameters go to C++ as one evaluate_batch call; a lone
    sample goes through evaluate. Returns one Scored per job. A reward that cannot be
    built (KeyError, ValueError), or a sample that cannot be written as JSON (a value
    that is not JSON, NaN, a lone surrogate) or read as a DataSample (ValueError), raises;
    with keep_errors the exception takes that job's place in the results and the other
    jobs are scored."""
    results = [None] * len(jobs)

    def failed(indices, error):
        if not keep_errors:
            raise error
        for index in indices:
            results[index] = error

    groups = {}
    for index, (name, params, data) in enumerate(jobs):
        try:
            key = (name if isinstance(name, str) else repr(name), to_json(params or {}, sort_keys=True))
        except (TypeError, ValueError) as error:
            failed([index], ValueError(f"the reward's parameters: {error}"))
            continue
        groups.setdefault(key, []).append((index, name, data))

    for (_, params_text), members in groups.items():
        try:
            model = reward(members[0][1], json.loads(params_text))
        except (KeyError, ValueError) as error:
            failed([index for index, _, _ in members], error)
            continue
        encoded = []
        for index, _, data in members:
            try:
                text = to_json(data, ensure_ascii=False)
                text.encode("utf-8")
            except UnicodeEncodeError as error:  # a lone surrogate, e.g. from cut UTF-16
                failed([index], ValueError(f"the sample's text is not valid Unicode: it holds the lone surrogate "
                                           f"U+{ord(error.object[error.start]):04X}"))
                continue
            except (TypeError, ValueError) as error:
                failed([index], ValueError(f"the sample cannot be written as JSON: {error}"))
                continue
            encoded.append((index, text))
        if not encoded:
            continue
        if len(encoded) == 1:
            try:
                outputs = [model.evaluate(encoded[0][1])]
            except ValueError as error:  # not a DataSample rmg reads
                outputs = [error]
        else:  # a sample rmg does not read is a ValueError in its place
            outputs = model.evaluate_batch([text for _, text in encoded], int(workers or default_workers()))
        for (index, _), text in zip(encoded, outputs):
            if isinstance(text, Exception):
                if not keep_errors:
                    raise text
                failed([index], text)
            else:
                results[index] = Scored.from_sample(json.loads(text))
    return results


def message_text(value):
    """The text of a completion or prompt: a string as is; for a conversation (a list of
    {"role", "content"} dicts) the last assistant message's content, else the last message's."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _content(value.get("content"))
    messages = list(value)
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "assistant":
            return _content(message.get("content"))
    return _content(messages[-1].get("content")) if messages and isinstance(messages[-1], dict) else ""


def prompt_text(value):
    """The prompt's text: a string as is; for a conversation the last user message's content."""
    if value is None or isinstance(value, str):
        return value or ""
    for message in reversed(list(value)):
        if isinstance(message, dict) and message.get("role") == "user":
            return _content(message.get("content"))
    return ""


def _content(content):
    # Multimodal content is a list of parts; keep the text parts.
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type", "text") == "text")
    return "" if content is None else str(content)
