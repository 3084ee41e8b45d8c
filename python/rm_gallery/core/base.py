"""rm_gallery.core.base: BaseModule, what rewards, refinement and evaluators have in common."""


class BaseModule:
    """Something with a `run(**kwargs)`; a no-op here, as in RM-Gallery."""

    def run(self, **kwargs):
        return None
