"""Lazy package names (desta_tui/lazy.py): each resolves when first used, and only then is its
module imported; every name of every lazy services package resolves to what it did before."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType

import pytest

from desta_tui.lazy import lazy_exports

LAZY_PACKAGES = [
    "desta_tui.services.contracts",
    "desta_tui.services.meetings",
    "desta_tui.services.members",
    "desta_tui.services.performance",
    "desta_tui.services.tickets",
]


@pytest.fixture
def toy_package(tmp_path, monkeypatch):
    """`toy` with modules `light` and `heavy`, whose names the package hands out lazily."""
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text(
        '"""Toy."""\n'
        "from desta_tui.lazy import lazy_exports\n"
        "__all__, __getattr__, __dir__ = lazy_exports(__name__, {\n"
        "    '.light': ('feather',),\n"
        "    '.heavy': ('anvil', 'ANVIL_KG'),\n"
        "    'string': ('ascii_letters',),\n"
        "})\n"
    )
    (package / "light.py").write_text('"""Light."""\ndef feather():\n    return "feather"\n')
    (package / "heavy.py").write_text('"""Heavy."""\nANVIL_KG = 50\ndef anvil():\n    pass\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in [name for name in sys.modules if name == "toy" or name.startswith("toy.")]:
        del sys.modules[name]


def test_a_name_imports_its_own_module_only(toy_package):
    from toy import feather

    assert feather() == "feather"
    assert "toy.light" in sys.modules
    assert "toy.heavy" not in sys.modules


def test_names_keep_working_every_way_they_are_reached(toy_package):
    import toy

    assert toy.__all__ == ["ANVIL_KG", "anvil", "ascii_letters", "feather"]
    assert {"ANVIL_KG", "anvil", "ascii_letters", "feather"} <= set(dir(toy))
    assert toy.ANVIL_KG == 50
    assert toy.anvil is importlib.import_module("toy.heavy").anvil
    assert toy.ascii_letters.startswith("abc")  # a name from outside the package
    namespace: dict = {}
    exec("from toy import *", namespace)
    assert namespace["feather"]() == "feather"
    with pytest.raises(AttributeError, match="no attribute 'quill'"):
        toy.quill  # noqa: B018
    with pytest.raises(ImportError):
        exec("from toy import quill", {})


def test_mistakes_in_the_mapping_are_refused():
    with pytest.raises(TypeError, match="must be a tuple"):
        lazy_exports("toy", {".light": ("feather")})  # a string, not a tuple
    with pytest.raises(ValueError, match="comes from .light and .heavy"):
        lazy_exports("toy", {".light": ("feather",), ".heavy": ("feather",)})
    with pytest.raises(ValueError, match="names its own module"):
        lazy_exports("toy", {".light": ("light",)})


@pytest.mark.parametrize("package_name", LAZY_PACKAGES)
def test_every_name_of_a_lazy_package_resolves(package_name):
    package = importlib.import_module(package_name)
    assert package.__all__, package_name
    for name in package.__all__:
        getattr(package, name)
    # once every module of the package is imported (binding each under its own name), each
    # name is still the function, class or constant it was, never a module
    for found in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{found.name}")
    modules = [name for name in package.__all__ if isinstance(getattr(package, name), ModuleType)]
    assert modules == []
