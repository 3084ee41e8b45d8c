"""The package installs offline, as a wheel or from python/, and works away from the build.

Each route installs with Debian's pip into a temporary --target directory (PEP 668
forbids system installs); a fresh python3 whose only extra path is that directory then
imports rm_gallery and rmg, scores a sample, and reports where everything was loaded from.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

from conftest import ROOT

CHECK = r"""
import json, sys
import rm_gallery, rmg
import rm_gallery.integrations.verl
from rmg.integrations.verl import compute_score
from rmg.gallery.rm.format.format import ReasoningFormatReward
sample = rmg.DataSample(unique_id="q1", input=[], output=[rmg.DataOutput(answer=rmg.Step(
    role=rmg.MessageRole.ASSISTANT, content="<think>2 + 2 = 4</think><answer>4</answer>"))])
maps = open("/proc/self/maps").read().splitlines()
print(json.dumps({
    "files": [rm_gallery.__file__, rmg.__file__, rm_gallery._rmg.__file__],
    "duckdb": sorted({line.split()[-1] for line in maps if "libduckdb" in line}),
    "version": rmg.__version__,
    "same_module": rmg.integrations.verl is rm_gallery.integrations.verl,
    "gsm8k": [compute_score("openai/gsm8k", "so #### 42", "42")["score"],
              compute_score("openai/gsm8k", "so #### 41", "42")["score"]],
    "format": ReasoningFormatReward().evaluate(sample).output[0].answer.reward.details[0].score,
}))
"""


def run(*args, **kwargs):
    """Runs a command, failing the test with its output if it fails."""
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def build_dir(rmg_binary):
    return pathlib.Path(rmg_binary).parent


@pytest.fixture(scope="module")
def version(rmg_binary):
    return run(rmg_binary, "--version").split()[-1]


def install_wheel(build_dir, version, target):
    run("cmake", "--build", str(build_dir), "--target", "rmg_wheel")
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    wheel = build_dir / "dist" / f"rm_gallery-{version}-{tag}-{tag}-linux_x86_64.whl"
    assert wheel.exists(), sorted(os.listdir(build_dir / "dist"))
    run(sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--target", str(target), str(wheel))


def install_source_dir(build_dir, version, target):
    env = dict(os.environ, RMG_PYTHON_BUILD_DIR=str(build_dir / "python"))
    run(sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps",
        "--target", str(target), str(ROOT / "python"), env=env)


@pytest.mark.parametrize("install", [install_wheel, install_source_dir], ids=["wheel", "pip_install_python_dir"])
def test_installed_package_imports_and_scores_outside_the_build(install, build_dir, version, tmp_path):
    target = tmp_path / "site"
    install(build_dir, version, target)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "RMG_"))}
    env["PYTHONPATH"] = str(target)
    report = json.loads(run(sys.executable, "-s", "-c", CHECK, env=env, cwd=tmp_path))

    for path in report["files"] + report["duckdb"]:
        assert pathlib.Path(path).is_relative_to(target), path
    assert len(report["duckdb"]) == 1  # the wheel's own copy, not third_party's
    assert report["version"] == version
    assert report["same_module"]
    assert report["gsm8k"] == [1.0, 0.0]
    assert report["format"] == 1.0
