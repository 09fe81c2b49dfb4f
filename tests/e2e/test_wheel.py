"""The built wheel, installed in a fresh virtualenv and run as `desta` outside the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from pypdf import PdfReader

from desta_tui import __version__
from tests.cli.helpers import ROOT

pytestmark = pytest.mark.slow

# what a wheel is built from: the packaging files and the two folders it ships
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "desta_tui", "assets")


def _run(*command, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600):
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def _builds_here() -> bool:
    """This environment's setuptools builds wheels by itself (so no build environment need be
    fetched): 70.1 and later do, or 68 and later with the `wheel` package."""
    try:
        version = tuple(int(part) for part in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    if version >= (70, 1):
        return True
    try:
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        return False
    return version >= (68, 0)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from a copy of the sources (a build in the worktree would leave
    build/ and egg-info behind)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    isolation = ["--no-build-isolation"] if _builds_here() else []
    out = base / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", out, source,
         cwd=base)  # fmt: skip
    (built,) = out.glob("desta_tui-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel installed, and nothing else of this project: the
    libraries it needs are taken from the environment running the tests."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", venv, cwd=venv.parent)
    asked = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(_run(venv / "bin" / "python", "-c", asked, cwd=venv.parent).stdout.strip())
    if sys.prefix != sys.base_prefix:
        # the tests run in a virtualenv of their own, whose libraries --system-site-packages
        # does not reach: listed by path, so its .pth files (an editable install of this
        # project among them) are not run
        paths = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
        (site / "desta-test-libraries.pth").write_text("\n".join(paths) + "\n")
    _run(venv / "bin" / "pip", "install", "--no-deps", "--no-index", wheel, cwd=venv.parent)
    return venv


def _outside(tmp_path: Path) -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH, so only the installed copy can run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["HOME"] = str(tmp_path)
    return env


def test_the_wheel_carries_the_fonts_the_styles_and_the_licence(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desta_tui/ui/app.tcss" in names
    fonts = [path.name for path in (ROOT / "assets" / "fonts").iterdir() if path.is_file()]
    assert fonts and any(name.endswith(".ttf") for name in fonts)
    for name in fonts:
        assert f"desta_tui/assets/fonts/{name}" in names, name
    licences = [name for name in names if ".dist-info/" in name and name.endswith("LICENSE")]
    assert len(licences) == 1
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(licences[0]) == (ROOT / "LICENSE").read_bytes()
        info = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert f"Version: {__version__}" in info and "MIT" in info


def test_the_installed_desta_runs_outside_the_source_tree(installed, tmp_path):
    env = _outside(tmp_path)
    desta = installed / "bin" / "desta"
    where = _run(installed / "bin" / "python", "-c", (
        "import desta_tui, desta_tui.ui.app as app; from desta_tui.paths import assets_dir;"
        "print(desta_tui.__file__); print(app.DestaApp.CSS_PATH.is_file());"
        "print(sorted(p.name for p in (assets_dir() / 'fonts').glob('*.ttf'))[0])"
    ), cwd=tmp_path, env=env).stdout.split("\n")  # fmt: skip
    assert Path(where[0]).is_relative_to(installed), where
    assert where[1:3] == ["True", "DejaVuSans-Bold.ttf"]
    assert _run(desta, "--version", cwd=tmp_path, env=env).stdout.strip() == f"desta {__version__}"
    database = tmp_path / "demo.sqlite3"
    _run(desta, "demo", "--no-open", "--db", database, cwd=tmp_path, env=env)
    pack = tmp_path / "pack.pdf"
    _run(desta, "pack", "--period", "2012-10", "-o", pack, "--db", database, cwd=tmp_path, env=env)
    text = "\n".join(page.extract_text() for page in PdfReader(pack).pages)
    assert "Service Management Group meeting pack" in text
    members = tmp_path / "members.csv"
    _run(desta, "export", "members", "-o", members, "--db", database, cwd=tmp_path, env=env)
    assert members.read_text(encoding="utf-8-sig").startswith("Organisation,Consortium")
