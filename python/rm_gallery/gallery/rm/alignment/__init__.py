"""rm_gallery.gallery.rm.alignment: the rubric LLM judges, run by rmg's C++ judges (src/gallery/alignment/)."""

from rm_gallery.gallery.rm.alignment import base  # noqa: F401
from rm_gallery.gallery.rm.alignment import harmlessness, helpfulness, honesty  # noqa: F401
