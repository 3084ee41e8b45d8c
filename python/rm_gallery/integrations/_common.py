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


def reward(name, params=None):
    """The C++ reward `name` with `params` (a dict), built once and shared by threads.

    An unknown name raises KeyError listing close names, a bad parameter ValueError."""
    key = (name, json.dumps(params or {}, sort_keys=True))
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
    built (KeyError, ValueError) or a sample that is not valid Unicode (ValueError)
    raises, or with keep_errors takes the exception's place in the results while the
    other jobs are scored."""
    groups = {}
    for index, (name, params, data) in enumerate(jobs):
        key = (name, json.dumps(params or {}, sort_keys=True))
        groups.setdefault(key, []).append((index, data))
    results = [None] * len(jobs)

    def failed(indices, error):
        if not keep_errors:
            raise error
        for index in indices:
            results[index] = error

    for (name, params_text), members in groups.items():
        try:
            model = reward(name, json.loads(params_text))
        except (KeyError, ValueError) as error:
            failed([index for index, _ in members], error)
            continue
        encoded = []
        for index, data in members:
            text = json.dumps(data, ensure_ascii=False)
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:  # a lone surrogate, e.g. from cut UTF-16
                failed([index], ValueError(f"the sample's text is not valid Unicode: it holds the lone surrogate "
                                           f"U+{ord(error.object[error.start]):04X}"))
                continue
            encoded.append((index, text))
        if not encoded:
            continue
        if len(encoded) == 1:
            outputs = [model.evaluate(encoded[0][1])]
        else:
            outputs = model.evaluate_batch([text for _, text in encoded], int(workers or default_workers()))
        for (index, _), text in zip(encoded, outputs):
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
