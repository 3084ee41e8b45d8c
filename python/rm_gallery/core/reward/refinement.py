"""rm_gallery.core.reward.refinement: LLMRefinement, RM-Gallery's answer refinement loop.

Each iteration scores a copy of the sample (every answer so far) with `reward`, takes
the reason of output[0]'s first detail as feedback and asks `llm` for a better answer,
appended without its <think> reasoning. The feedback, prompt and cleaning are rmg's
(include/rmg/refinement.h, the same as `rmg refine`); the loop is here so that the
reward may be any Python reward and the llm any BaseLLM.
"""

from rm_gallery import _rmg
from rm_gallery.core.base import BaseModule
from rm_gallery.core.data.schema import DataOutput, DataSample, Step
from rm_gallery.core.model.message import MessageRole


class LLMRefinement(BaseModule):
    """`reward` and `llm` are required; `max_iterations` defaults to 3."""

    def __init__(self, reward=None, llm=None, max_iterations=3, **kwargs):
        if reward is None or llm is None:
            raise ValueError("LLMRefinement: fields 'reward' and 'llm' are required")
        self.reward = reward
        self.llm = llm
        self.max_iterations = max_iterations

    def _answer(self, text):
        return DataOutput(answer=Step(role=MessageRole.ASSISTANT, content=_rmg.without_thinking(text)))

    def run(self, sample, **kwargs):
        """A copy of `sample` with `max_iterations` new answers (one more first when it has none)."""
        refined = DataSample.model_validate(sample).model_copy(deep=True)
        if not refined.output:  # RM-Gallery: llm.chat(input)
            refined.output.append(self._answer(self.llm.chat(refined.input).message.content))
        for _ in range(self.max_iterations):
            scored = self.reward.evaluate(refined)
            feedback = _rmg.refinement_feedback(_rmg.dump_model_json(scored))
            prompt = _rmg.refinement_prompt(_rmg.dump_model_json(refined), feedback)
            refined.output.append(self._answer(self.llm.simple_chat(prompt)))
        return refined


def refine(reward, sample, max_iterations=3, llm=None, **kwargs):
    """An LLM reward's refine(): LLMRefinement with the reward itself, and `llm` or the
    reward's own."""
    llm = llm or getattr(reward, "llm", None)
    if llm is None:
        raise ValueError(f"{type(reward).__name__}.refine: no llm given, and the reward has none")
    return LLMRefinement(reward=reward, llm=llm, max_iterations=max_iterations).run(sample, **kwargs)
