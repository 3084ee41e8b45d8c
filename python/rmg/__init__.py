"""rmg: a second import name for rm_gallery, the same modules under a shorter name.

`import rmg` gives rm_gallery's main names (below). Every submodule `rmg.X` is the
module `rm_gallery.X` itself, not a copy (one registry, one reward cache), so
`from rmg.integrations.verl import compute_score` works and
`rmg.integrations.verl is rm_gallery.integrations.verl`.
"""

import importlib
import importlib.abc
import importlib.util
import sys

import rm_gallery
from rm_gallery import __version__
from rm_gallery.core.data.schema import DataOutput, DataSample, Reward, Step
from rm_gallery.core.model.message import ChatMessage, MessageRole
from rm_gallery.core.reward.registry import RewardRegistry


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports `rmg.X` as `rm_gallery.X`: the import system keeps whatever module
    exec_module leaves in sys.modules under the name, here rm_gallery's."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(__name__ + "."):
            return None
        if importlib.util.find_spec("rm_gallery" + fullname[len(__name__):]) is None:
            return None  # ModuleNotFoundError names rmg.X, as for any missing module
        return importlib.util.spec_from_loader(fullname, self)

    def exec_module(self, module):
        sys.modules[module.__name__] = importlib.import_module("rm_gallery" + module.__name__[len(__name__):])


if not any(isinstance(finder, _AliasFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _AliasFinder())

__all__ = ["ChatMessage", "DataOutput", "DataSample", "MessageRole", "Reward", "RewardRegistry", "Step",
           "__version__"]
