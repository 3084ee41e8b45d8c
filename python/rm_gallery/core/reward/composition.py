"""rm_gallery.core.reward.composition: several rewards as one (RM-Gallery's SimpleComposition).

Each child scores the sample in turn (or all at once with is_parallel and a thread
pool); then every answer's and step's score becomes the weighted mean of its
details, w = weights.get(detail.name, 1.0). Children are given as reward instances,
registry names, reward classes or {"cls": name or class, "params": {...}}; `params`
is shared by every child built here (e.g. the llm).
"""

import abc

from rm_gallery.core.data.schema import DataSample
from rm_gallery.core.reward.base import BaseReward


def _weighted(reward, weights):
    total = sum(weights.get(d.name, 1.0) for d in reward.details)
    if reward.details and total != 0:
        reward.score = sum(weights.get(d.name, 1.0) * d.score for d in reward.details) / total


def _merge(target, scored, known):
    """Appends the details (past the `known` ones per output) and extra_data `scored` gained to `target`."""
    for mine, theirs, n in zip(target.output, scored.output, known):
        mine.answer.reward.details.extend(theirs.answer.reward.details[n:])
        mine.answer.additional_kwargs.update(theirs.answer.additional_kwargs)
    if target.input and scored.input:
        target.input[-1].additional_kwargs.update(scored.input[-1].additional_kwargs)


class BaseComposition(BaseReward):
    params: dict = {}


class SimpleComposition(BaseComposition):
    weights: dict = {}
    rewards: dict = {}
    is_parallel: bool = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from rm_gallery.core.reward.registry import RewardRegistry

        built = {}
        for key, entry in self.rewards.items():
            if isinstance(entry, BaseReward):
                built[key] = entry
                continue
            if isinstance(entry, str) or (isinstance(entry, type) and issubclass(entry, BaseReward)):
                entry = {"cls": entry}  # a bare name or class, built with the shared params
            if not isinstance(entry, dict) or "cls" not in entry:
                raise ValueError(f"SimpleComposition: reward '{key}' must be a reward, a registry name, a reward "
                                 "class or {'cls': name or class, 'params': {...}}")
            cls = RewardRegistry.get(entry["cls"]) if isinstance(entry["cls"], str) else entry["cls"]
            # A shared parameter goes to the children that take it (an rmg reward refuses the
            # others, which RM-Gallery's would ignore); a child's own params go as given.
            shared = {k: v for k, v in self.params.items() if not hasattr(cls, "accepts_keyword")
                      or cls.accepts_keyword(k)}
            built[key] = cls(**{**shared, **entry.get("params", {}), "name": key})
        self.rewards = built

    def evaluate(self, sample, thread_pool=None, **kwargs):
        """The sample scored by every child, each score then the weighted mean of its details."""
        return self._score(sample, thread_pool, lambda reward, s: reward.evaluate(s, thread_pool))

    def _evaluate_in_batch(self, sample, **kwargs):
        """evaluate(), except that a child raising on this sample records its error there
        (BaseReward._evaluate_in_batch) and the other children's results are kept, as in
        rmg's C++ composition."""
        return self._score(sample, None, lambda reward, s: reward._evaluate_in_batch(s))

    def _score(self, sample, thread_pool, score_child):
        sample = DataSample.model_validate(sample)
        if self.is_parallel and thread_pool is not None:
            result = sample.model_copy(deep=True)
            known = [len(o.answer.reward.details) for o in sample.output]
            futures = [thread_pool.submit(score_child, r, sample) for r in self.rewards.values()]
            for future in futures:
                _merge(result, future.result(), known)
        else:
            result = sample
            for reward in self.rewards.values():
                result = score_child(reward, result)
            if result is sample:
                result = sample.model_copy(deep=True)
        for output in result.output:
            _weighted(output.answer.reward, self.weights)
            for step in output.steps or []:
                _weighted(step.reward, self.weights)
        return result


class RouterComposition(SimpleComposition, abc.ABC):
    """Sends each sample to the child that _condition(sample) names; a subclass must define
    _condition (RM-Gallery's is abstract, so the class itself cannot be built)."""

    @abc.abstractmethod
    def _condition(self, sample):
        """The key in `rewards` of the child that scores `sample`."""

    def evaluate(self, sample, thread_pool=None, **kwargs):
        sample = DataSample.model_validate(sample)
        return self.rewards[self._condition(sample)].evaluate(sample, thread_pool)

    # One child scores a sample, so a failure is the sample's alone, as for any reward.
    _evaluate_in_batch = BaseReward._evaluate_in_batch
