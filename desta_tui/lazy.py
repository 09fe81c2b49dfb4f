"""Package `__init__`s whose names are imported from their modules when first used (PEP 562).

A feature package re-exports what callers use (`from desta_tui.services.tickets import
list_tickets`), but importing every module of it to do so cost the start ~80 ms: the dashboard
needs a few of them. `lazy_exports` keeps the package's names and `__all__` and imports a
module only when one of its names is first asked for.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    package: str, sources: Mapping[str, Iterable[str]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """`__all__`, `__getattr__` and `__dir__` for `package`, from its names' modules:
    `{".listing": ("list_tickets", ...), "desta_tui.services.lookups": (...)}` (a leading dot
    is a module of the package itself).

    A name may not be its own module's name: importing that module binds the module under the
    name before any `__getattr__` is asked. Such a name is imported at once in the package, or
    its module is named otherwise (`exception_notes` lives in `performance.figure_notes`)."""
    source_of: dict[str, str] = {}
    for module, names in sources.items():
        if isinstance(names, str):  # ("name") is a string: each letter would become a name
            raise TypeError(f"{package}: the names from {module} must be a tuple")
        for name in names:
            if name in source_of:
                raise ValueError(f"{package}: {name} comes from {source_of[name]} and {module}")
            if module == f".{name}":
                raise ValueError(f"{package}: import {name} at once, it names its own module")
            source_of[name] = module

    def __getattr__(name: str) -> Any:
        module = source_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        # kept on the package, so the next look-up finds it without coming here
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | source_of.keys())

    return sorted(source_of), __getattr__, __dir__
