"""rm_gallery.gallery.rm.general: the general rule rewards, scored by librmg.

AccuracyReward -> accuracy, F1ScoreReward -> f1_score, RougeReward -> rouge,
NumberAccuracyReward -> number_accuracy (src/gallery/general/).
"""

from rm_gallery.core.reward.base import BasePointWiseReward
from rm_gallery.core.reward.native import NativeReward
from rm_gallery.core.reward.registry import RewardRegistry


@RewardRegistry.register("accuracy")
class AccuracyReward(NativeReward, BasePointWiseReward):
    """1.0 if the stripped answer equals label["reference"], else 0.0."""

    REGISTRY_NAME = "accuracy"


@RewardRegistry.register("f1_score")
class F1ScoreReward(NativeReward, BasePointWiseReward):
    """F1 between the token sets of the answer and label["reference"]."""

    REGISTRY_NAME = "f1_score"
    PARAMS = {"tokenizer_type": "tiktoken", "encoding_name": "cl100k_base", "chinese_only": False}


@RewardRegistry.register("rouge")
class RougeReward(NativeReward, BasePointWiseReward):
    """ROUGE-L F-measure of the answer against label["reference"].

    RM-Gallery tokenizes with str.split(); rmg's registry default is its "unicode"
    tokenizer, so this class asks for "simple" (whitespace) to score as RM-Gallery does.
    """

    REGISTRY_NAME = "rouge"
    PARAMS = {"tokenizer_type": "simple"}


@RewardRegistry.register("number_accuracy")
class NumberAccuracyReward(NativeReward, BasePointWiseReward):
    """Share of the reference's numbers matched, in order, within `tolerance`."""

    REGISTRY_NAME = "number_accuracy"
    PARAMS = {"tolerance": 1e-6}
