"""rm_gallery: RM-Gallery's Python API over rmg's C++ engine (librmg).

Everything is scored by the extension module rm_gallery._rmg (python/src/); the
Python modules only hold data classes and map RM-Gallery's names onto rmg's
registry. Importing the package registers the gallery classes, as RM-Gallery does.
"""

import rm_gallery.gallery  # noqa: F401,E402
from rm_gallery._rmg import __version__  # noqa: F401,E402  (CMake's project version, as `rmg --version`)
