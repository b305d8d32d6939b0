"""The folders show the architecture: the domain at the app's root imports
none of the audiences, and each audience only what docs/architecture.md says
it may. A new import across the lines fails here, naming the file."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "prisoners"

# Where a module of prisoners/ belongs: its first folder, or the domain.
AUDIENCES = {"public", "admin", "api", "interchange", "stats", "management", "templatetags"}
# What each part may import from the others (itself always, the domain always).
ALLOWED = {
    "domain": set(),
    "stats": set(),
    "interchange": set(),
    "public": {"stats", "interchange"},
    # The JSON API shares the public pages' filters, citation and error bodies.
    "api": {"stats", "interchange", "public.filters", "public.citation", "public.errors"},
    "admin": {"stats", "interchange"},
    # Template tags serve the public templates (Django wants them at the root).
    "templatetags": {"stats", "public.citation"},
    "management": {"stats", "interchange", "public", "admin", "api", "templatetags"},
}
MAX_LINES = 600


def _modules():
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if relative.parts[0] == "migrations":
            continue
        yield path, relative


def _part(module_parts: tuple[str, ...]) -> str:
    return module_parts[0] if module_parts and module_parts[0] in AUDIENCES else "domain"


def _imports(path: Path, relative: Path) -> set[tuple[str, ...]]:
    """The modules of the app that ``path`` imports, as parts under prisoners/."""
    # The package a relative import starts from (a package's __init__ too).
    package = ("prisoners", *relative.with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = (*base, *(node.module.split(".") if node.module else ()))
            else:
                module = tuple((node.module or "").split("."))
            names = [(*module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [tuple(alias.name.split(".")) for alias in node.names]
        else:
            continue
        for name in names:
            if name[0] == "prisoners":
                found.add(name[1:])
    return found


def _allowed(part: str, target: tuple[str, ...]) -> bool:
    target_part = _part(target)
    if target_part in (part, "domain"):
        return True
    allowed = ALLOWED[part]
    return target_part in allowed or ".".join(target[:2]) in allowed


def test_every_import_across_folders_is_one_the_architecture_allows():
    crossings = []
    for path, relative in _modules():
        part = _part(relative.with_suffix("").parts)
        for target in _imports(path, relative):
            if not _allowed(part, target):
                crossings.append(f"{relative} ({part}) imports prisoners.{'.'.join(target)}")
    assert crossings == []


def test_the_domain_imports_no_audience():
    """The records, their querysets, rules and privacy stand alone."""
    domain = [(p, r) for p, r in _modules() if _part(r.with_suffix("").parts) == "domain"]
    assert len(domain) > 10
    leaks = [
        f"{relative} imports prisoners.{'.'.join(target)}"
        for path, relative in domain
        for target in _imports(path, relative)
        if _part(target) != "domain"
    ]
    assert leaks == []


def test_the_walk_sees_an_import_that_crosses(tmp_path):
    """The check itself: a domain module importing the public pages is caught."""
    module = tmp_path / "rules.py"
    module.write_text("from .public.views import home\nfrom . import models\n")
    targets = _imports(module, Path("rules.py"))
    assert ("public", "views", "home") in targets
    assert not _allowed("domain", ("public", "views", "home"))
    assert _allowed("domain", ("models",))


@pytest.mark.parametrize("relative", [r for _p, r in _modules()], ids=str)
def test_no_module_is_longer_than_the_limit(relative):
    lines = len((APP / relative).read_text().splitlines())
    assert lines <= MAX_LINES, f"{relative} has {lines} lines: split it by concern"
