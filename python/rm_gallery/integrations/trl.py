"""TRL: reward functions for GRPOTrainer, `(prompts, completions, **kwargs) -> list[float | None]`.

GRPOTrainer calls each function with the batch's prompts and completions and the
dataset's other columns as keyword lists (one value per completion). Completions may
be strings or conversations (lists of {"role", "content"} messages: the last
assistant message is scored). A completion whose sample lacks what the reward needs
(no reference, no tests) gets None, which GRPOTrainer skips; so does one that cannot be
scored at all (a lone surrogate in its text, NaN in its columns), with a RuntimeWarning.

    from trl import GRPOConfig, GRPOTrainer
    from rm_gallery.integrations.trl import format_reward, make_reward_func, math_accuracy_reward

    trainer = GRPOTrainer(model=..., train_dataset=dataset,   # columns: prompt, solution
                          reward_funcs=[math_accuracy_reward, format_reward,
                                        make_reward_func("ngram_repetition_penalty", n=2)],
                          args=GRPOConfig(...))

Each call scores the whole batch with one C++ evaluate_batch per reward (GIL released).
"""

import warnings

from rm_gallery.integrations._common import message_text, prompt_text, reward, sample, score_groups

REFERENCE_COLUMNS = ("solution", "answer", "reference", "ground_truth")
TEST_COLUMNS = ("inputs_outputs", "input_output", "test_code", "test_list", "test_setup_code")


def _column(kwargs, name, index):
    values = kwargs.get(name)
    if values is None or isinstance(values, (str, bytes)):
        return None
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return None


def _reference(kwargs, index):
    for column in REFERENCE_COLUMNS:
        value = _column(kwargs, column, index)
        if value is not None and value != "":
            return value if isinstance(value, str) else str(value)
    return None


def _tests(kwargs, index):
    """code_execution's label entries from the dataset's test columns, or None."""
    label = {}
    for column in ("inputs_outputs", "input_output"):  # APPS layout, dict or JSON text
        value = _column(kwargs, column, index)
        if value:
            label["inputs_outputs"] = value
            break
    test_code = _column(kwargs, "test_code", index)
    test_list = _column(kwargs, "test_list", index)  # MBPP: a list of assert lines
    if test_code:
        label["test_code"] = test_code
    elif test_list:
        label["test_code"] = "\n".join(str(line) for line in test_list if line is not None)
    setup = _column(kwargs, "test_setup_code", index)
    if setup and "test_code" in label:
        label["test_setup_code"] = setup
    return label or None


def _label(kwargs, index):
    label = _column(kwargs, "label", index)
    label = dict(label) if isinstance(label, dict) else {}
    reference = _reference(kwargs, index)
    if reference is not None:
        label.setdefault("reference", reference)
    label.update(_tests(kwargs, index) or {})
    return label


def _score(name, params, prompts, completions, kwargs, needs=None):
    """Scores completions with reward `name`; None where `needs(label)` is false."""
    reward(name, params)  # unknown names and bad parameters fail here, batch or no batch
    prompts = list(prompts) if prompts is not None else [None] * len(completions)
    jobs, where = [], []
    for i, completion in enumerate(completions):
        label = _label(kwargs, i)
        if needs is not None and not needs(label):
            continue
        prompt = prompt_text(prompts[i]) if i < len(prompts) else ""
        jobs.append((name, params, sample(f"trl-{i}", message_text(completion), label, prompt or None)))
        where.append(i)
    rewards = [None] * len(completions)
    # A completion that cannot be scored (a lone surrogate, NaN in its columns) gets None,
    # with a warning, rather than failing the whole batch.
    for i, scored in zip(where, score_groups(jobs, keep_errors=True)):
        if isinstance(scored, Exception):
            warnings.warn(f"rmg {name}: completion {i} not scored (None): {scored}", RuntimeWarning, stacklevel=3)
        else:
            rewards[i] = scored.score
    return rewards


def _has_reference(label):
    return "reference" in label


def _has_tests(label):
    return "inputs_outputs" in label or "test_code" in label


# What a completion's sample must have for these rewards to score it (else None).
NEEDS = {"math_verify_reward": _has_reference, "code_execution": _has_tests}


def math_accuracy_reward(prompts, completions, **kwargs):
    """1.0 when the completion's final answer equals the `solution` (or `answer`) column
    mathematically (rmg's math_verify_reward), else 0.0; None without a reference."""
    return _score("math_verify_reward", {}, prompts, completions, kwargs, NEEDS["math_verify_reward"])


def format_reward(prompts, completions, **kwargs):
    """1.0 when the completion has <think>...</think> and <answer>...</answer> (reasoning_format)."""
    return _score("reasoning_format", {}, prompts, completions, kwargs)


def code_execution_reward(prompts, completions, **kwargs):
    """Pass fraction of the completion's Python on the sample's tests, run in rmg's sandbox
    (code_execution). Tests come from the columns inputs_outputs / input_output (APPS),
    test_code (+ test_setup_code) or test_list (MBPP); None without tests."""
    return _score("code_execution", {}, prompts, completions, kwargs, NEEDS["code_execution"])


def make_reward_func(name, **params):
    """A GRPOTrainer reward function for any registered reward (`rmg list`) with `params`.

    The label of each completion is the `label` column (a dict) if there is one, plus
    `reference` from the solution / answer / reference / ground_truth column and the
    test columns above. The function's __name__ is the reward's name (TRL logs by it).
    For math_verify_reward and code_execution, a completion without a reference or
    tests gets None, as from math_accuracy_reward and code_execution_reward.
    Raises KeyError (unknown name, listing close ones) or ValueError (bad parameter) now.
    The function pickles (by name and parameters), for trainers that ship it to workers."""
    reward(name, params)
    return RewardFunc(name, params)


class RewardFunc:
    """make_reward_func's result: a callable with the GRPOTrainer signature, named after its reward."""

    def __init__(self, name, params):
        self.__name__ = name
        self.params = dict(params)
        self.__doc__ = f"rmg reward {name!r} with parameters {params!r} (GRPOTrainer signature)."

    def __call__(self, prompts, completions, **kwargs):
        return _score(self.__name__, self.params, prompts, completions, kwargs, NEEDS.get(self.__name__))

    def __reduce__(self):
        return (_reward_func_with_params, (self.__name__, self.params))

    def __repr__(self):
        return f"make_reward_func({self.__name__!r}, **{self.params!r})"


def _reward_func_with_params(name, params):
    return make_reward_func(name, **params)


__all__ = ["math_accuracy_reward", "format_reward", "code_execution_reward", "make_reward_func", "RewardFunc"]
