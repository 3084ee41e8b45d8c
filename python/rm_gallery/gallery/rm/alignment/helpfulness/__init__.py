"""rm_gallery.gallery.rm.alignment.helpfulness: the helpfulness scenario judges."""

from rm_gallery.gallery.rm.alignment.helpfulness import brainstorming  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import chat  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import classification  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import closed_qa  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import code  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import focus  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import generation  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import math  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import open_qa  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import precise_if  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import reasoning  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import rewrite  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import role_playing  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import summarization  # noqa: F401
from rm_gallery.gallery.rm.alignment.helpfulness import translation  # noqa: F401
