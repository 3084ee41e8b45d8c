"""rm_gallery.gallery: the reward gallery (rm_gallery.gallery.rm)."""

from rm_gallery.gallery import rm  # noqa: F401
