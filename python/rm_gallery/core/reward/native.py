"""rm_gallery.core.reward.native: a reward whose scoring runs in librmg.

NativeReward is the Python face of one registered C++ reward (rmg::RewardRegistry,
include/rmg/registry.h). Subclasses name the registry entry (REGISTRY_NAME) and the
RM-Gallery constructor keywords with their defaults (PARAMS); the keywords are
passed to C++ as the reward's parameters. Scoring never happens in Python:
evaluate() and evaluate_batch() hand the DataSamples to rm_gallery._rmg, which
converts them in C++ (python/src/model_json.cc), releases the GIL and runs rmg's
evaluator (include/rmg/evaluator.h).
"""

import json
import math

from rm_gallery import _rmg
from rm_gallery._model import ValidationError
from rm_gallery.core.data.schema import DataSample
from rm_gallery.core.reward.base import (BaseListWiseReward, BasePairWiseReward, BasePointWiseReward, BaseReward,
                                          BaseStepWiseReward, _field_default)
from rm_gallery.core.reward.schema import RewardDimensionWithRank, RewardResult


def _rebuild(reward_class, kwargs):
    return reward_class(**kwargs)


def _rebuild_native_class(registry_name, family, kwargs):
    return native_class(registry_name, family)(**kwargs)


_PARAMETER_NAMES = {}

# RM-Gallery keywords whose value rmg also takes under its own name (the C++ reward reads
# either, RM-Gallery's winning when set).
_RMG_NAME_OF = {"tokenizer_type": "tokenizer"}


def _parameter_names(registry_name):
    """The names of the parameters the registered reward takes (rmg list)."""
    if registry_name not in _PARAMETER_NAMES:  # read again: a judge may have been registered since
        for row in _rmg.list_rewards():
            _PARAMETER_NAMES[row["name"]] = frozenset(row["parameters"])
    return _PARAMETER_NAMES.get(registry_name, frozenset())


def _to_sample(sample):
    """`sample` as a DataSample (a dict is validated); TypeError for anything else."""
    if isinstance(sample, DataSample):
        return sample
    if isinstance(sample, dict):
        return DataSample.model_validate(sample)
    raise TypeError(f"expected a DataSample or dict, got {type(sample).__name__}")


class NativeReward(BaseReward):
    """A pointwise/pairwise/listwise/stepwise reward evaluated by librmg.

    Gallery classes also derive from their RM-Gallery family (BasePointWiseReward, …),
    so isinstance checks hold. A Python subclass that overrides _evaluate is scored by
    the family's Python fan-out instead, as in RM-Gallery.
    """

    REGISTRY_NAME = None  # registry name of the C++ reward
    PARAMS = {}           # RM-Gallery keyword -> default, passed to C++ under the same name (other
                          # keywords go to C++ as given, where rmg checks them); None: no defaults here
    PYTHON_ONLY = {}      # RM-Gallery keyword -> (default, accepted values) handled here, not in C++

    def __init__(self, name=None, max_workers=8, **kwargs):
        self._init_kwargs = dict(kwargs, name=name, max_workers=max_workers)  # for pickling (__reduce__)
        # A subclass's fields (RM-Gallery style: `scenario: str = "..."`) are its keywords' defaults.
        declared = self._subclass_fields()
        own_fields = self._subclass_field_names()
        if name is None:
            name = declared.get("name")
        settings = {**declared, **kwargs}
        llm = settings.pop("llm", None)
        params = dict(settings) if self.PARAMS is None else {}
        params.pop("name", None)
        if llm is not None:
            params.update(self._llm_params(llm))
        for key, default in (self.PARAMS or {}).items():
            if key not in settings and _RMG_NAME_OF.get(key) in settings:
                continue  # chosen under rmg's name (tokenizer=), which the default must not override
            value = settings.get(key, default)
            if value is not None:
                params[key] = value
        for key, (default, accepted) in self.PYTHON_ONLY.items():
            value = settings.get(key, default)
            if value not in accepted:
                raise ValueError(f"{type(self).__name__}: {key}={value!r} is not supported by rmg "
                                 f"(accepted: {', '.join(map(repr, accepted))})")
        passed = set()
        if self.PARAMS is not None:
            # rmg's own parameters (variant=, tokenizer=, strict=, …) go to C++ as well, and so
            # does any other keyword, so that C++ refuses a misspelt one with its message. A
            # subclass's own fields and RM-Gallery's unused `template` stay in Python.
            registered = _parameter_names(self.REGISTRY_NAME)
            for key, value in settings.items():
                if key in self.PARAMS or key in self.PYTHON_ONLY or key in ("name", "template") or value is None:
                    continue
                if key in own_fields and key not in registered:
                    continue  # the subclass's own field
                params[key] = value
                passed.add(key)
        if name is not None:
            params["name"] = name
        for key, value in params.items():  # JSON has no inf or nan: say so here, naming the keyword
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"parameter '{key}' of reward '{self.REGISTRY_NAME}': got {value!r}, and "
                                 f"parameters take finite numbers only")
        self._native = _rmg.create_reward(self.REGISTRY_NAME, json.dumps(params))
        resolved = json.loads(self._native.params_json)
        for key, default in (self.PARAMS or {}).items():
            value = settings.get(key, default)
            # A keyword without a Python default shows the value rmg uses (a judge's rubrics, say).
            setattr(self, key, resolved.get(key) if value is None else value)
        for key, value in settings.items():
            if key in own_fields or key in passed or self.PARAMS is None:
                setattr(self, key, value)
        self.llm = llm
        self.name = self._native.name
        self.max_workers = max_workers
        self.params = params

    @classmethod
    def accepts_keyword(cls, key):
        """True when the constructor uses `key` (a composition's shared params go only where they do)."""
        return (key in ("name", "max_workers", "llm", "template") or key in cls.PYTHON_ONLY
                or key in _parameter_names(cls.REGISTRY_NAME) or key in cls._subclass_field_names())

    @classmethod
    def _subclass_fields(cls):
        """Class attributes set by subclasses written outside rm_gallery (most derived first wins)."""
        fields = {}
        for klass in cls.__mro__:
            if klass.__module__.startswith("rm_gallery."):
                break
            for key, value in vars(klass).items():
                if not key.startswith("_") and not callable(value) and not isinstance(value, (property, classmethod,
                                                                                             staticmethod)):
                    fields.setdefault(key, _field_default(value))
        return fields

    @classmethod
    def _subclass_field_names(cls):
        """The fields subclasses written outside rm_gallery declare, with or without a default
        (`bonus: float` is one): theirs, never rmg's parameters."""
        names = set(cls._subclass_fields())
        for klass in cls.__mro__:
            if klass.__module__.startswith("rm_gallery."):
                break
            names.update(name for name in vars(klass).get("__annotations__", {}) if not name.startswith("_"))
        return names

    def _llm_params(self, llm):
        """The parameters of `llm` (an OpenaiLLM) that this reward takes; {} for a rule reward."""
        if not hasattr(llm, "to_params"):
            raise TypeError(f"{type(self).__name__}: rmg's judges call an OpenAI-compatible endpoint, so llm must "
                            f"be an OpenaiLLM (serve {type(llm).__name__}'s model behind one), got "
                            f"{type(llm).__name__}")
        accepted = _parameter_names(self.REGISTRY_NAME)
        # The LLM's max_retries are its HTTP client's (openai's default 10); the judge's own
        # max_retries (3) bound its attempts, as in RM-Gallery's BaseLLMReward.
        return {key: value for key, value in llm.to_params().items() if key in accepted and key != "max_retries"}

    def __reduce__(self):
        # The C++ reward is rebuilt from the keywords; a native_class is found again by its registry name.
        if "REGISTRY_NAME" in vars(type(self)) and self.PARAMS is None:
            return (_rebuild_native_class, (self.REGISTRY_NAME, self._family_name(), self._init_kwargs))
        return (_rebuild, (type(self), self._init_kwargs))

    def _family_name(self):
        for family, base in FAMILY_BASES.items():
            if isinstance(self, base):
                return family
        return None

    @property
    def family(self):
        """"pointwise", "pairwise", "listwise", "stepwise" or "composite"."""
        return self._native.family

    def _overridden(self):
        return type(self)._evaluate is not NativeReward._evaluate

    def _evaluate(self, sample, **kwargs):
        """The RewardResult of one unit, read back from rmg's scored copy (RM-Gallery's extension point)."""
        sample = DataSample.model_validate(sample)
        before = [len(o.answer.reward.details) for o in sample.output]
        scored = self._native_evaluate(sample)
        new = [o.answer.reward.details[n:] for o, n in zip(scored.output, before)]
        if self.family in ("listwise", "pairwise") and scored.output:
            details = [RewardDimensionWithRank(name=d.name, reason=d.reason, rank=[ds[k].score for ds in new])
                       for k, d in enumerate(new[0])]
            extra = scored.input[-1].additional_kwargs.get(self.name, {}) if scored.input else {}
            return RewardResult(name=self.name, details=details, extra_data=extra)
        details = new[0] if new else []
        extra = scored.output[0].answer.additional_kwargs.get(self.name, {}) if scored.output else {}
        return RewardResult(name=self.name, details=details, extra_data=extra)

    def evaluate(self, sample, thread_pool=None, **kwargs):
        """Returns a scored copy of `sample` (a DataSample or dict); the argument is unchanged."""
        if self._overridden():
            return BaseReward.evaluate(self, sample, thread_pool=thread_pool, **kwargs)
        return self._native_evaluate(sample)

    def _native_evaluate(self, sample):
        # The JSON is written and read in C++ (_rmg.dump_model_json / load_model_json).
        scored = self._native.evaluate(_rmg.dump_model_json(_to_sample(sample)))
        return _rmg.load_model_json(DataSample, scored)

    def evaluate_batch(self, samples, max_workers=0, **kwargs):
        """Scores `samples` on rmg's thread pool (falsy max_workers: self.max_workers); keeps order.

        A sample rmg cannot read (an answer's content that is not text, say) is returned with an
        error detail on each output, as a sample the reward fails on; the others are scored. An
        item that is neither a DataSample nor a dict that validates as one is a ValidationError
        naming its place, raised before anything is scored."""
        workers = max_workers or self.max_workers
        if self._overridden():
            return BaseReward.evaluate_batch(self, samples, max_workers=workers, **kwargs)
        batch = []
        for index, sample in enumerate(samples):
            try:
                batch.append(_to_sample(sample))
            except (TypeError, ValueError) as error:
                raise ValidationError(f"samples[{index}]: {error}") from None
        # Conversion to and from JSON happens in C++: in Python it cost several times the scoring.
        scored = self._native.evaluate_models(batch, DataSample, int(workers))
        return [self._scored_as_failed(batch[i], result) if isinstance(result, Exception) else result
                for i, result in enumerate(scored)]

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, registry={self.REGISTRY_NAME!r})"


FAMILY_BASES = {
    "pointwise": BasePointWiseReward,
    "listwise": BaseListWiseReward,
    "pairwise": BasePairWiseReward,
    "stepwise": BaseStepWiseReward,
}


def native_class(registry_name, family="pointwise"):
    """A NativeReward subclass for any registered name; keywords go to C++ unchecked here."""
    bases = (NativeReward, FAMILY_BASES[family]) if family in FAMILY_BASES else (NativeReward,)
    reward_class = type("".join(p.capitalize() for p in registry_name.split("_")), bases,
                        {"REGISTRY_NAME": registry_name, "PARAMS": None, "__module__": __name__})
    return reward_class
