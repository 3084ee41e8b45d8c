"""rm_gallery.gallery.rm.alignment.honesty: the honesty scenario judges."""

from rm_gallery.gallery.rm.alignment.honesty import factuality  # noqa: F401
