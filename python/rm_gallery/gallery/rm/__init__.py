"""rm_gallery.gallery.rm: importing it registers every gallery class (as RM-Gallery does)."""

from rm_gallery.gallery.rm import general  # noqa: F401
from rm_gallery.gallery.rm.format import format  # noqa: F401,A004
from rm_gallery.gallery.rm.math import math  # noqa: F401
from rm_gallery.gallery.rm.code import code  # noqa: F401
from rm_gallery.gallery.rm import alignment  # noqa: F401
