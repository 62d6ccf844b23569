"""The rooms of optout_bot/ import only what ARCHITECTURE.md says they may, no module name is
used twice, and no module reaches for another module's private names."""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "optout_bot"
ARCHITECTURE = PACKAGE.parent / "ARCHITECTURE.md"

#: Room -> the rooms it may import at run time (imports for type checking only are free).
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "flow": {"base"},
    "engine": {"base", "flow"},
    "evidence": {"base", "engine", "flow"},
    "unattended": {"base", "engine", "evidence", "flow"},
    "authoring": {"base", "engine", "flow"},
    "replicas": {"base", "engine"},
    "app": {"base", "engine", "evidence", "flow", "unattended", "authoring", "replicas"},
    "cli": {"base", "engine", "evidence", "flow", "unattended", "authoring", "app"},
}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            inside.update(id(child) for child in ast.walk(node))
    return inside


def _imports(tree: ast.Module, *, runtime_only: bool) -> Iterator[tuple[str, list[str], int]]:
    """(module, imported names, line) for each import of optout_bot."""
    skip = _type_checking_nodes(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("optout_bot"):
            yield node.module or "", [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("optout_bot"):
                    yield alias.name, [], node.lineno


def _room(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def test_every_room_imports_only_what_it_may():
    """A room imports (at run time) only the rooms below it in ARCHITECTURE.md."""
    wrong = []
    for path, tree in _modules():
        room = _room(path)
        if room is None:
            continue
        for module, names, line in _imports(tree, runtime_only=True):
            parts = module.split(".")
            targets = [parts[1]] if len(parts) > 1 else names
            for target in targets:
                if (PACKAGE / target).is_dir() and target != room and target not in ALLOWED[room]:
                    wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {room} -> {target}")
    assert wrong == []


def test_every_room_is_on_the_map():
    """Each subpackage is a room of ARCHITECTURE.md, and each room of the map exists."""
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert rooms == set(ALLOWED)
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert all(f"{room}/" in text for room in rooms)


def test_no_two_modules_share_a_name():
    """A module's name says what it is: none is repeated at another level."""
    names = Counter(
        path.stem for path in PACKAGE.rglob("*.py") if path.stem not in ("__init__", "__main__")
    )
    packages = Counter(p.name for p in PACKAGE.rglob("*") if (p / "__init__.py").is_file())
    assert [n for n, count in (names + packages).items() if count > 1] == []


def test_no_module_imports_another_modules_private_names():
    """Private names (a leading underscore) stay inside their module."""
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module} {name}"
        for path, tree in _modules()
        for module, names, line in _imports(tree, runtime_only=False)
        for name in names
        if re.match(r"_[^_]", name)
    ]
    assert wrong == []
