"""rm_gallery.core.reward.native: a reward whose scoring runs in librmg.

NativeReward is the Python face of one registered C++ reward (rmg::RewardRegistry,
include/rmg/registry.h). Subclasses name the registry entry (REGISTRY_NAME) and the
RM-Gallery constructor keywords with their defaults (PARAMS); the keywords are
passed to C++ as the reward's parameters. Scoring never happens in Python:
evaluate() and evaluate_batch() hand JSON text to rm_gallery._rmg, which releases
the GIL and runs rmg's evaluator (include/rmg/evaluator.h).
"""

import json

from rm_gallery import _rmg
from rm_gallery.core.data.schema import DataSample


def _to_json(sample):
    if isinstance(sample, DataSample):
        return sample.model_dump_json()
    if isinstance(sample, dict):
        return DataSample.model_validate(sample).model_dump_json()
    raise TypeError(f"expected a DataSample or dict, got {type(sample).__name__}")


class NativeReward:
    """A pointwise/pairwise/listwise/stepwise reward evaluated by librmg."""

    REGISTRY_NAME = None  # registry name of the C++ reward
    PARAMS = {}           # RM-Gallery keyword -> default, passed to C++ under the same name;
                          # None: every keyword goes to C++ as given (rmg checks it)
    PYTHON_ONLY = {}      # RM-Gallery keyword -> (default, accepted values) handled here, not in C++

    def __init__(self, name=None, max_workers=8, **kwargs):
        params = dict(kwargs) if self.PARAMS is None else {}
        for key, default in (self.PARAMS or {}).items():
            value = kwargs.get(key, default)
            if value is not None:
                params[key] = value
        for key, (default, accepted) in self.PYTHON_ONLY.items():
            value = kwargs.get(key, default)
            if value not in accepted:
                raise ValueError(f"{type(self).__name__}: {key}={value!r} is not supported by rmg "
                                 f"(accepted: {', '.join(map(repr, accepted))})")
        if name is not None:
            params["name"] = name
        # Keywords RM-Gallery does not declare are ignored, as pydantic ignores them.
        self._native = _rmg.create_reward(self.REGISTRY_NAME, json.dumps(params))
        self.name = self._native.name
        self.max_workers = max_workers
        self.params = params

    @property
    def family(self):
        """"pointwise", "pairwise", "listwise", "stepwise" or "composite"."""
        return self._native.family

    def evaluate(self, sample, thread_pool=None, **kwargs):
        """Returns a scored copy of `sample` (a DataSample or dict); the argument is unchanged."""
        return DataSample.model_validate_json(self._native.evaluate(_to_json(sample)))

    def evaluate_batch(self, samples, max_workers=0, **kwargs):
        """Scores `samples` on rmg's thread pool (falsy max_workers: self.max_workers); keeps order."""
        workers = max_workers or self.max_workers
        texts = [_to_json(s) for s in samples]
        return [DataSample.model_validate_json(t) for t in self._native.evaluate_batch(texts, int(workers))]

    def best_of_n(self, sample, thread_pool=None, n=1, **kwargs):
        """Evaluates, then keeps the n best outputs by answer score, ascending (best last)."""
        scored = self.evaluate(sample)
        order = sorted(range(len(scored.output)), key=lambda i: scored.output[i].answer.reward.score)
        keep = order[-n:] if n > 0 else order
        scored.output = [scored.output[i] for i in keep]
        return scored

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, registry={self.REGISTRY_NAME!r})"


def native_class(registry_name):
    """A NativeReward subclass for any registered name; keywords go to C++ unchecked here."""

    class _Registered(NativeReward):
        REGISTRY_NAME = registry_name
        PARAMS = None

    _Registered.__name__ = _Registered.__qualname__ = "".join(p.capitalize() for p in registry_name.split("_"))
    return _Registered
