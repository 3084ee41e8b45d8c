"""rm_gallery.core.reward.evaluator: BaseEvaluator, a reward's batch results summarised."""

import abc

from rm_gallery.core.base import BaseModule


class BaseEvaluator(BaseModule, abc.ABC):
    """`reward` is required; subclasses implement summary(results) -> dict."""

    def __init__(self, reward=None, **kwargs):
        if reward is None:
            raise ValueError(f"{type(self).__name__}: field 'reward' is required")
        self.reward = reward

    @abc.abstractmethod
    def summary(self, results):
        """A dict describing the scored samples `results`."""

    def run(self, samples, **kwargs):
        return self.summary(self.reward.evaluate_batch(samples=samples))
