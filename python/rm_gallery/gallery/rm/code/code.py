"""rm_gallery.gallery.rm.code.code: code rewards, scored by librmg (src/gallery/code/).

SyntaxCheckReward -> code_syntax_check, CodeStyleReward -> code_style,
PatchSimilarityReward -> code_patch_similarity, CodeExecutionReward -> code_execution
(tests run in rmg's sandbox: namespaces, seccomp, rlimits).
"""

from rm_gallery.core.reward.base import BasePointWiseReward
from rm_gallery.core.reward.native import NativeReward
from rm_gallery.core.reward.registry import RewardRegistry


@RewardRegistry.register("code_syntax_check")
class SyntaxCheckReward(NativeReward, BasePointWiseReward):
    """Share of the answer's Python code blocks that parse, minus 0.5 if any does not."""

    REGISTRY_NAME = "code_syntax_check"


@RewardRegistry.register("code_style")
class CodeStyleReward(NativeReward, BasePointWiseReward):
    """Consistent indentation and snake_case names, averaged over the code blocks."""

    REGISTRY_NAME = "code_style"


@RewardRegistry.register("code_patch_similarity")
class PatchSimilarityReward(NativeReward, BasePointWiseReward):
    """difflib-style sequence similarity of the answer and label["reference"]."""

    REGISTRY_NAME = "code_patch_similarity"


@RewardRegistry.register("code_execution")
class CodeExecutionReward(NativeReward, BasePointWiseReward):
    """Pass rate of the answer's code on label["inputs_outputs"], run in the sandbox.

    RM-Gallery's `timeout` is unused there; here it limits each test (seconds).
    """

    REGISTRY_NAME = "code_execution"
    PARAMS = {"continuous": True, "timeout": 10}
    PYTHON_ONLY = {"test_framework_available": (True, (True,)), "compute_score": (None, (None,))}
