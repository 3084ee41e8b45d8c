"""Packages rm_gallery and its second import name rmg around the extension CMake built.

Nothing is compiled here: build_ext copies `_rmg` and the libduckdb.so it loads
($ORIGIN RPATH) from the CMake build's package layout, RMG_PYTHON_BUILD_DIR (default
../build/release/python). The pure-Python modules come from this directory; the
version is CMake's project version. Built by `cmake --build --preset release --target
rmg_wheel`, or `pip install --no-build-isolation --no-index ./python` after a build.
"""

import os
import pathlib
import re
import shutil
import sysconfig

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
LAYOUT = pathlib.Path(os.environ.get("RMG_PYTHON_BUILD_DIR", HERE.parent / "build" / "release" / "python"))


# setuptools' scratch files go to the CMake build directory rather than into python/,
# fresh each run: a kept build/lib would put modules since deleted from python/ in the wheel.
SCRATCH = LAYOUT.parent / "python-build"
shutil.rmtree(SCRATCH, ignore_errors=True)
SCRATCH.mkdir(parents=True)


def project_version():
    """The VERSION of the project() line in the top CMakeLists.txt."""
    text = (HERE.parent / "CMakeLists.txt").read_text()
    return re.search(r"project\(rmg VERSION ([0-9.]+)", text).group(1)


class CopyBuiltExtension(build_ext):
    """Copies the CMake-built extension (and libduckdb.so beside it) instead of compiling."""

    def build_extension(self, ext):
        built = LAYOUT / "rm_gallery" / ("_rmg" + sysconfig.get_config_var("EXT_SUFFIX"))
        if not built.exists():
            raise SystemExit(f"{built} is missing: build it first (cmake --build --preset release) "
                             "or point RMG_PYTHON_BUILD_DIR at a build's python/ directory")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
        shutil.copyfile(built.parent / "libduckdb.so", target.parent / "libduckdb.so")


setup(
    name="rm_gallery",
    version=project_version(),
    description="RM-Gallery's Python API over rmg, reward models for LLM post-training in C++",
    license="Apache-2.0",
    packages=find_packages(HERE, include=["rm_gallery", "rm_gallery.*", "rmg"]),
    # An extension without sources: its "build" is the copy above, and its presence
    # gives the wheel its CPython and platform tags (cp311-cp311-linux_x86_64).
    ext_modules=[Extension("rm_gallery._rmg", sources=[])],
    cmdclass={"build_ext": CopyBuiltExtension},
    options={"build": {"build_base": str(SCRATCH)}, "egg_info": {"egg_base": str(SCRATCH)}},
    python_requires=">=3.11",
    zip_safe=False,
)
