"""The UI's own rules: it reaches data through services only, a screen moves the person about by
posting a message (never by importing another section's screens), its modules import one another
without cycles, and it uses Textual's public API only."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desta_tui"
UI = PACKAGE / "ui"
SCREENS = UI / "screens"
SHARED_SCREENS = "desta_tui.ui.screens.common"


def module_name(path: Path) -> str:
    if not path.is_relative_to(PACKAGE.parent):
        return path.stem  # a sample file outside the package
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function, relative ones resolved,
    plus any "desta_tui..." string it would hand to importlib."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and str(node.value).startswith("desta_tui."):
            names.add(str(node.value).split(":")[0])
    return names


def ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def test_no_ui_module_imports_the_database_layer():
    found = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in ui_modules()
        for name in sorted(imports_of(path))
        if name == "desta_tui.db" or name.startswith("desta_tui.db.")
    ]
    assert found == []


def test_the_check_sees_a_database_import(tmp_path):
    # the rule above must be able to fail: an import hidden in a function still counts
    sample = tmp_path / "sample.py"
    sample.write_text('"""x"""\n\ndef f():\n    from desta_tui.db.database import db\n')
    assert "desta_tui.db.database" in imports_of(sample)


def feature_of(module: str) -> str | None:
    """ "desta_tui.ui.screens.members.members_screen" -> "members"."""
    parts = module.split(".")
    return parts[3] if len(parts) > 4 and parts[:3] == ["desta_tui", "ui", "screens"] else None


def test_screens_import_only_their_own_feature_and_the_shared_frame():
    found = []
    for path in sorted(SCREENS.rglob("*.py")):
        feature = feature_of(module_name(path))
        if feature is None or feature == "common":
            continue
        for name in sorted(imports_of(path)):
            other = feature_of(name)
            if other is not None and other != feature and not name.startswith(SHARED_SCREENS):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert found == []


def test_ui_modules_import_each_other_without_cycles():
    modules = {module_name(path): path for path in ui_modules()}
    graph = {
        name: {other for other in imports_of(path) if other in modules and other != name}
        for name, path in modules.items()
    }
    cycles = []
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        for other in sorted(graph[name]):
            if other in trail:
                cycles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in done:
                visit(other, [*trail, other])
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []


def test_ui_uses_no_private_textual_names():
    found = []
    for path in ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual"):
                if any(part.startswith("_") for part in node.module.split(".")):
                    found.append(f"{where}:{node.lineno} imports {node.module}")
                found += [
                    f"{where}:{node.lineno} imports {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
            # Textual's own handlers are _on_*, _watch_*...: ours use the public on_*, watch_*
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                ("_on_", "_watch_", "_validate_", "_compute_")
            ):
                found.append(f"{where}:{node.lineno} defines {node.name}")
    assert found == []
