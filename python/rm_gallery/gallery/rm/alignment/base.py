"""rm_gallery.gallery.rm.alignment.base: the helpfulness, harmlessness and honesty judges.

Each class is a C++ rubric judge (registry name = its RM-Gallery name) with RM-Gallery's
constructor keywords: llm (an OpenaiLLM whose settings the judge uses), desc, scenario,
rubrics, examples, max_retries, name. Defaults (texts included) live in rmg's judge
catalog (src/gallery/alignment/judges.yaml), so there is one copy of each.
"""

from rm_gallery import _rmg
from rm_gallery.core.reward.base import BaseListWiseReward, BasePointWiseReward
from rm_gallery.core.reward.native import NativeReward, _to_sample
from rm_gallery.core.reward.refinement import refine
from rm_gallery.core.reward.registry import RewardRegistry
from rm_gallery.core.reward.template import RubricListWiseTemplate, RubricPointWiseTemplate

# RM-Gallery's keywords, and rmg's `shuffle` (listwise judges: present the answers in a
# seeded random order, against position bias; RM-Gallery does not shuffle).
RUBRIC_KEYWORDS = {"desc": None, "scenario": None, "rubrics": None, "examples": None, "max_retries": None,
                   "shuffle": None}


class NativeRubricReward(NativeReward):
    """A C++ rubric judge; RM-Gallery's `template` keyword is accepted and not used."""

    PARAMS = RUBRIC_KEYWORDS

    @property
    def template(self):
        """RM-Gallery's template class for this judge's family (its format and parse; rmg's own
        run in C++)."""
        return RubricPointWiseTemplate if self.family == "pointwise" else RubricListWiseTemplate

    def refine(self, sample, max_iterations=3, llm=None, thread_pool=None, **kwargs):
        """BaseLLMReward.refine: answers the LLM wrote from this judge's feedback."""
        return refine(self, sample, max_iterations=max_iterations, llm=llm, **kwargs)

    def format(self, sample, thread_pool=None, **kwargs):
        """A copy of `sample` (a DataSample or dict) holding the prompt each call would send,
        as {"prompt": ...} where extra_data goes (RM-Gallery's format); nothing is sent.

        The prompts are the ones evaluate() sends: the answers in the judge's shuffled order,
        the schema without <reason> for a thinking model. ValueError for a sample the judge
        cannot judge (no input messages, a context that is not a string).
        """
        copy = _to_sample(sample).model_copy(deep=True)
        prompts = self._native.prompts(_rmg.dump_model_json(copy))
        if self.family == "pointwise":
            for output, prompt in zip(copy.output, prompts):
                output.answer.additional_kwargs[self.name] = {"prompt": prompt}
        elif prompts:
            copy.input[-1].additional_kwargs[self.name] = {"prompt": prompts[0]}
        return copy


@RewardRegistry.register("base_helpfulness_listwise")
class BaseHelpfulnessListWiseReward(NativeRubricReward, BaseListWiseReward):
    """Picks the most helpful answer by RM-Gallery's helpfulness rubrics."""

    REGISTRY_NAME = "base_helpfulness_listwise"


@RewardRegistry.register("base_harmlessness_listwise")
class BaseHarmlessnessListWiseReward(NativeRubricReward, BaseListWiseReward):
    """Picks the most harmless answer by RM-Gallery's harmlessness rubrics."""

    REGISTRY_NAME = "base_harmlessness_listwise"


@RewardRegistry.register("base_honesty_listwise")
class BaseHonestyListWiseReward(NativeRubricReward, BaseListWiseReward):
    """Picks the most honest answer by RM-Gallery's honesty rubrics."""

    REGISTRY_NAME = "base_honesty_listwise"


@RewardRegistry.register("base_helpfulness_pointwise")
class BaseHelpfulnessPointWiseReward(NativeRubricReward, BasePointWiseReward):
    """1 - share of the helpfulness rubrics the answer violates."""

    REGISTRY_NAME = "base_helpfulness_pointwise"


@RewardRegistry.register("base_harmlessness_pointwise")
class BaseHarmlessnessPointWiseReward(NativeRubricReward, BasePointWiseReward):
    """1 - share of the harmlessness rubrics the answer violates."""

    REGISTRY_NAME = "base_harmlessness_pointwise"


@RewardRegistry.register("base_honesty_pointwise")
class BaseHonestyPointWiseReward(NativeRubricReward, BasePointWiseReward):
    """1 - share of the honesty rubrics the answer violates."""

    REGISTRY_NAME = "base_honesty_pointwise"
