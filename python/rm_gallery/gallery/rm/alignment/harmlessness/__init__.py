"""rm_gallery.gallery.rm.alignment.harmlessness: the harmlessness scenario judges."""

from rm_gallery.gallery.rm.alignment.harmlessness import safety  # noqa: F401
