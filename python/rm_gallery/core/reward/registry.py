"""rm_gallery.core.reward.registry: RewardRegistry over rmg's registry (include/rmg/registry.h).

get(name) returns a reward class, as in RM-Gallery: the gallery class at its
RM-Gallery path when there is one (for an alias, the class of the name it stands for),
else a NativeReward subclass bound to the C++ name. An unknown name raises KeyError with rmg's message listing close names.
"""

from rm_gallery import _rmg
from rm_gallery.core.reward.native import native_class


class RewardRegistry:
    _registry = {}  # name -> class (gallery classes register themselves on import)

    @classmethod
    def register(cls, name):
        """Decorator storing a class under `name` (a later registration wins)."""

        def decorator(reward_class):
            cls._registry[name] = reward_class
            return reward_class

        return decorator

    @classmethod
    def get(cls, name):
        if name in cls._registry:
            return cls._registry[name]
        row = next((row for row in _rmg.list_rewards() if row["name"] == name), None)
        if row is None:
            _rmg.create_reward(name, "{}")  # raises KeyError with rmg's message
        # An alias (rouge_reward) is the class of the reward it names, with that class's defaults.
        reward_class = cls.get(row["alias_of"]) if row.get("alias_of") else native_class(name, row["family"])
        cls._registry[name] = reward_class
        return reward_class

    @classmethod
    def names(cls):
        """Every name: rmg's registered names and aliases, plus Python registrations."""
        return sorted({row["name"] for row in _rmg.list_rewards()} | set(cls._registry))

    @classmethod
    def list(cls):
        """A text table of the names, kinds, families and descriptions (RM-Gallery returns a table too)."""
        rows = [(r["name"], r["kind"], r["family"], r["description"]) for r in _rmg.list_rewards()]
        known = {r[0] for r in rows}
        rows += [(n, "python", "", c.__doc__ or "") for n, c in cls._registry.items() if n not in known]
        rows.sort()
        width = max(len(r[0]) for r in rows)
        return "\n".join(f"{n:<{width}}  {k:<6}  {f:<9}  {d}".rstrip() for n, k, f, d in rows)
