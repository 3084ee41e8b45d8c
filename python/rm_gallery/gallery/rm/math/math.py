"""rm_gallery.gallery.rm.math.math: MathVerifyReward -> math_verify_reward (src/gallery/math/)."""

from rm_gallery.core.reward.base import BasePointWiseReward
from rm_gallery.core.reward.native import NativeReward
from rm_gallery.core.reward.registry import RewardRegistry


@RewardRegistry.register("math_verify_reward")
class MathVerifyReward(NativeReward, BasePointWiseReward):
    """1.0 if the answer's final result is mathematically equal to label["reference"]."""

    REGISTRY_NAME = "math_verify_reward"
    PARAMS = {"timeout_score": 0.0}
