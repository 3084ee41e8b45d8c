"""rm_gallery.core.reward.base: the reward families, subclassable in Python as in RM-Gallery.

A Python reward declares its fields as annotated class attributes (pydantic style:
`threshold: float = 0.5`) and implements `_evaluate(sample, **kwargs) -> RewardResult`
for one unit; the family decides what a unit is and where results land:

- BasePointWiseReward: each output alone; details on output.answer.reward.
- BaseListWiseReward:  the whole sample once; rank detail i goes to output i.
- BasePairWiseReward:  each pair (i < j) of outputs as a two-output sample.
- BaseStepWiseReward:  each step of each output; details on the step's reward.

evaluate() deep-copies the sample, fans out, appends the details, sets each score
to the mean of its details and stores extra_data under the reward's name, exactly as
RM-Gallery does (../shared/docs/rm_gallery_api.md §5). The gallery's own rewards
(rm_gallery.gallery.rm) are these same families scored in C++ (native.py).
"""

import abc
import asyncio
import copy
from concurrent.futures import ThreadPoolExecutor

from rm_gallery import _rmg
from rm_gallery.core.base import BaseModule
from rm_gallery.core.data.schema import DataOutput, DataSample
from rm_gallery.core.model.message import format_messages
from rm_gallery.core.reward.schema import RewardDimensionWithRank, RewardDimensionWithScore, RewardResult
from rm_gallery.core.reward.template import (BasePromptTemplate, RubricListWiseTemplate, RubricPointWiseTemplate,
                                            _annotation, _convert)

_REQUIRED = object()

# The default descriptions of the rubric bases (RM-Gallery's texts P and L), from rmg's
# judge catalogue (src/gallery/alignment/judges.yaml), the one copy of every judge text.
POINTWISE_DESC = _rmg.judge_description("P")
LISTWISE_DESC = _rmg.judge_description("L")


def _field_default(value):
    """The default of a declared field; understands pydantic's Field(default=..., default_factory=...)."""
    if value is _REQUIRED:
        return value
    if hasattr(value, "default_factory") and hasattr(value, "default"):
        if value.default_factory is not None:
            return value.default_factory()
        value = value.default
        if value is Ellipsis or type(value).__name__ == "PydanticUndefinedType":
            return _REQUIRED
    return copy.deepcopy(value)


class BaseReward(BaseModule):
    """A reward: keyword construction of the annotated fields, unknown keywords ignored."""

    name: str
    max_workers: int = 8

    def __init__(self, **kwargs):
        for klass in reversed(type(self).__mro__):
            for field in klass.__dict__.get("__annotations__", {}):
                if field.startswith("_"):
                    continue
                if field in kwargs:
                    # Text given for an int, float or bool field is converted, or refused
                    # naming the field, as pydantic does (not left to fail inside _evaluate).
                    value = _convert(kwargs[field], _annotation(type(self), field), type(self).__name__, field)
                else:
                    value = _field_default(getattr(type(self), field, _REQUIRED))
                    if value is _REQUIRED:
                        raise ValueError(f"{type(self).__name__}: field '{field}' is required")
                object.__setattr__(self, field, value)

    def _evaluate(self, sample, **kwargs):
        """Scores one unit (see the families); returns a RewardResult."""
        raise NotImplementedError

    def _parallel(self, func, sample, thread_pool=None, **kwargs):
        return sample

    def evaluate(self, sample, thread_pool=None, **kwargs):
        """Returns a scored deep copy of `sample` (a DataSample or dict); kwargs reach _evaluate."""
        sample = DataSample.model_validate(sample)
        return self._parallel(self._evaluate, sample=sample, thread_pool=thread_pool, **kwargs)

    async def async_evaluate(self, sample, semaphore=None, **kwargs):
        """evaluate() on a worker thread, at most `semaphore`'s count at once."""
        semaphore = semaphore or asyncio.Semaphore(self.max_workers)
        async with semaphore:
            return await asyncio.to_thread(self.evaluate, sample, **kwargs)

    def evaluate_batch(self, samples, max_workers=0, **kwargs):
        """Scores `samples` on max_workers threads (falsy: self.max_workers), keeping order.

        Unlike RM-Gallery's (asyncio.run), it also works inside a running event loop.
        """
        with ThreadPoolExecutor(max_workers=max_workers or self.max_workers) as pool:
            return list(pool.map(lambda s: self._evaluate_in_batch(s, **kwargs), samples))

    def _evaluate_in_batch(self, sample, **kwargs):
        """evaluate(), except that a reward raising on this sample does not stop the batch, as in
        rmg's C++ evaluator (RM-Gallery's evaluate_batch raises, losing every sample's result)."""
        sample = DataSample.model_validate(sample)
        try:
            return self.evaluate(sample, **kwargs)
        except Exception as error:  # noqa: BLE001 (the sample carries it, as the C++ evaluator's do)
            return self._scored_as_failed(sample, error)

    def _scored_as_failed(self, sample, error):
        """A copy of `sample` whose outputs each get an error detail scoring 0, and {"error": ...}
        where this reward's extra data goes: how a batch reports a sample it could not score."""
        scored = sample.model_copy(deep=True)
        for output in scored.output:
            output.answer.reward.details.append(
                RewardDimensionWithScore(name=self.name, reason=f"error: {error}", score=0.0))
            if not isinstance(self, BaseListWiseReward):
                output.answer.additional_kwargs[self.name] = {"error": str(error)}
            _set_mean(output.answer.reward)
        if isinstance(self, BaseListWiseReward) and scored.input:  # where a listwise reward's extra data goes
            scored.input[-1].additional_kwargs[self.name] = {"error": str(error)}
        return scored

    def best_of_n(self, sample, thread_pool=None, n=1, **kwargs):
        """Evaluates, then keeps the n best outputs by answer score, ascending (best last).

        n = 0 keeps all; a negative or non-integer n is a ValueError, as `rmg best-of-n -n`."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"best_of_n: n must be 0 (keep all) or more, got {n!r}")
        scored = self.evaluate(sample, thread_pool=thread_pool, **kwargs)
        order = sorted(range(len(scored.output)), key=lambda i: scored.output[i].answer.reward.score)
        scored.output = [scored.output[i] for i in order[-n:]] if n > 0 else [scored.output[i] for i in order]
        return scored

    def __repr__(self):
        return f"{type(self).__name__}(name={getattr(self, 'name', None)!r})"


def _set_mean(reward):
    """score = mean of the details (RM-Gallery keeps the score when there are none)."""
    if reward.details:
        reward.score = sum(d.score for d in reward.details) / len(reward.details)


def _call_all(func, subsamples, thread_pool, kwargs):
    if thread_pool is None:
        return [func(sample=s, **kwargs) for s in subsamples]
    futures = [thread_pool.submit(func, sample=s, **kwargs) for s in subsamples]
    return [f.result() for f in futures]


def _subsample(sample, outputs):
    """The unit a family hands to _evaluate: id, input and some outputs (no metadata, as RM-Gallery)."""
    return DataSample(unique_id=sample.unique_id, input=sample.input, output=outputs)


class BasePointWiseReward(BaseReward, abc.ABC):
    """_evaluate sees one output at a time."""

    @abc.abstractmethod
    def _evaluate(self, sample, **kwargs):
        ...

    def _parallel(self, func, sample, thread_pool=None, **kwargs):
        sample = sample.model_copy(deep=True)
        results = _call_all(func, [_subsample(sample, [o]) for o in sample.output], thread_pool, kwargs)
        for output, result in zip(sample.output, results):
            output.answer.reward.details.extend(result.details)
            output.answer.additional_kwargs[self.name] = result.extra_data
            _set_mean(output.answer.reward)
        return sample


class BaseListWiseReward(BaseReward, abc.ABC):
    """_evaluate sees the whole sample and returns rank details (one rank per output)."""

    @abc.abstractmethod
    def _evaluate(self, sample, **kwargs):
        ...

    def _parallel(self, func, sample, thread_pool=None, **kwargs):
        sample = sample.model_copy(deep=True)
        result = func(sample=sample, **kwargs)
        for detail in result.details:
            for i, output in enumerate(sample.output):
                output.answer.reward.details.append(detail[i])
        for output in sample.output:
            _set_mean(output.answer.reward)
        if sample.input:
            sample.input[-1].additional_kwargs[self.name] = result.extra_data
        return sample


class BasePairWiseReward(BaseListWiseReward):
    """_evaluate sees each pair of outputs (i < j); rank 0 goes to output i, rank 1 to j.

    RM-Gallery's synchronous evaluate also scores every ordered pair and each output
    against itself (its bug 1); this follows its asynchronous path, i < j once each.
    """

    def _parallel(self, func, sample, thread_pool=None, **kwargs):
        sample = sample.model_copy(deep=True)
        pairs = [(i, j) for i in range(len(sample.output)) for j in range(i + 1, len(sample.output))]
        units = [_subsample(sample, [sample.output[i], sample.output[j]]) for i, j in pairs]
        for (i, j), result in zip(pairs, _call_all(func, units, thread_pool, kwargs)):
            for detail in result.details:
                sample.output[i].answer.reward.details.append(detail[0])
                sample.output[j].answer.reward.details.append(detail[1])
        for output in sample.output:
            _set_mean(output.answer.reward)
        return sample


class BaseStepWiseReward(BaseReward, abc.ABC):
    """_evaluate sees one step of one output (output.steps must be a list)."""

    @abc.abstractmethod
    def _evaluate(self, sample, **kwargs):
        ...

    def _parallel(self, func, sample, thread_pool=None, **kwargs):
        sample = sample.model_copy(deep=True)
        steps, units = [], []
        for output in sample.output:
            if not isinstance(output.steps, list):
                raise AssertionError(f"{type(self).__name__}: every output needs a list of steps")
            for step in output.steps:
                steps.append(step)
                units.append(_subsample(sample, [DataOutput(answer=output.answer, steps=[step])]))
        for step, result in zip(steps, _call_all(func, units, thread_pool, kwargs)):
            step.reward.details.extend(result.details)
            step.additional_kwargs[self.name] = result.extra_data
            _set_mean(step.reward)
        return sample



class BaseLLMReward(BaseReward):
    """A reward that asks an LLM: _before_evaluate -> template.format -> llm -> template.parse -> _after_evaluate.

    Combine with a family (class X(BaseLLMReward, BasePointWiseReward)). A failure in
    every one of max_retries attempts gives empty details and extra_data["error"];
    evaluate never raises for an LLM failure.
    """

    llm: object = None
    template: type = BasePromptTemplate
    max_retries: int = 3

    def _before_evaluate(self, **kwargs):
        """The template's arguments for this unit."""
        return {}

    def refine(self, sample, max_iterations=3, llm=None, thread_pool=None, **kwargs):
        """A copy of `sample` with max_iterations answers the LLM wrote from this reward's
        feedback (LLMRefinement(reward=self, llm=llm or self.llm, max_iterations).run)."""
        from rm_gallery.core.reward.refinement import refine  # it imports this module's neighbours

        return refine(self, sample, max_iterations=max_iterations, llm=llm, **kwargs)

    def _after_evaluate(self, response, **kwargs):
        """The RewardResult read from the parsed template instance `response`."""
        return RewardResult(name=self.name, details=[], extra_data=response.model_dump())

    def _evaluate(self, **kwargs):
        assert self.llm is not None, f"{type(self).__name__}: no llm given"
        for _ in range(max(1, self.max_retries)):
            try:
                params = self._before_evaluate(**kwargs)
                prompt = self.template.format(enable_thinking=self.llm.enable_thinking, **params)
                response = self.template.parse(self.llm.simple_chat(query=prompt))
                result = self._after_evaluate(response=response, **kwargs)
                result.extra_data["prompt"] = prompt
                break
            except Exception as error:  # noqa: BLE001 (RM-Gallery turns any failure into an error result)
                result = RewardResult(name=self.name, details=[], extra_data={"error": str(error)})
        return result

    def _format(self, **kwargs):
        prompt = self.template.format(**self._before_evaluate(**kwargs))
        return RewardResult(name=self.name, details=[], extra_data={"prompt": prompt})

    def format(self, sample, thread_pool=None, **kwargs):
        """A copy of `sample` with the prompt each unit would send, stored where extra_data goes."""
        return self._parallel(self._format, sample=DataSample.model_validate(sample), thread_pool=thread_pool,
                              **kwargs)


def _context_of(sample):
    """input[-1].additional_kwargs["context"]: "" when absent or None; a ValueError when it is not
    text (RM-Gallery's string concatenation fails there too), as rmg's C++ judges refuse it."""
    context = sample.input[-1].additional_kwargs.get("context") if sample.input else None
    if context is None:
        return ""
    if not isinstance(context, str):
        raise ValueError(f"input[-1].additional_kwargs.context must be a string, not {type(context).__name__}")
    return context


class BaseRubricReward(BaseLLMReward):
    """An LLM judge from a description, a scenario, rubrics and examples."""

    rubrics: list = _REQUIRED
    examples: list = []
    desc: str = _REQUIRED
    scenario: str = ""

    def _before_evaluate(self, sample, **kwargs):
        return {
            "desc": self.desc,
            "rubrics": "".join(f"{i + 1}. {r}\n" for i, r in enumerate(self.rubrics)),
            "examples": "\n".join(self.examples),
            "query": format_messages(sample.input),
            "scenario": self.scenario,
            "context": _context_of(sample),
        }


def _parsed_by(response, template_class):
    """True when `response` came from `template_class`'s own parse, so that its tags are the
    reply's verdict (a subclass's parse may have changed the fields after reading them)."""
    return (getattr(response, "tags", None) is not None
            and getattr(type(response).parse, "__func__", None) is template_class.parse.__func__)


class BasePointWiseRubricReward(BaseRubricReward, BasePointWiseReward):
    """Scores each answer 1 - (violated rubrics / rubrics)."""

    desc: str = POINTWISE_DESC
    template: type = RubricPointWiseTemplate

    def _before_evaluate(self, sample, **kwargs):
        params = super()._before_evaluate(sample=sample, **kwargs)
        params["answer"] = sample.output[0].answer.content
        return params

    def _after_evaluate(self, response, **kwargs):
        # Scored as rmg's C++ judges score: each rubric counted once, clamped to [0, 1], and a
        # reply without <violation> or naming a rubric that does not exist is an error
        # (RM-Gallery scores the first 1.0 and can go below 0, its bug 10).
        if _parsed_by(response, RubricPointWiseTemplate):
            score, response.violation = _rmg.judge_violations(response.tags, [str(r) for r in self.rubrics])
        else:  # a parse of the subclass's own, whose fields may differ from the tags
            violated = len(response.violation or [])
            score = min(1.0, max(0.0, 1 - violated / len(self.rubrics))) if self.rubrics else float(violated == 0)
        return RewardResult(name=self.name, details=[
            RewardDimensionWithScore(name=self.name, reason=response.reason, score=score)])


class BaseListWiseRubricReward(BaseRubricReward, BaseListWiseReward):
    """Ranks the answers: the best one gets 1, the others 0."""

    desc: str = LISTWISE_DESC
    template: type = RubricListWiseTemplate

    def _before_evaluate(self, sample, **kwargs):
        params = super()._before_evaluate(sample=sample, **kwargs)
        params["answers"] = [o.answer.content for o in sample.output]
        return params

    def _after_evaluate(self, response, sample, **kwargs):
        # <best> outside 1..n is an error, as in rmg's C++ judges (RM-Gallery's best=0 picks
        # the last answer, its bug 10).
        count = len(sample.output)
        if _parsed_by(response, RubricListWiseTemplate):
            rank = [int(r) for r in _rmg.judge_best(response.tags, count)]
            response.best = rank.index(1) + 1
        else:  # a parse of the subclass's own, whose fields may differ from the tags
            if not isinstance(response.best, int) or not 1 <= response.best <= count:
                raise ValueError(f"<best> is {response.best}, not an answer number in 1..{count}")
            rank = [0] * count
            rank[response.best - 1] = 1
        return RewardResult(name=self.name, details=[
            RewardDimensionWithRank(name=self.name, reason=response.reason, rank=rank)])
