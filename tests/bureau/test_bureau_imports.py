"""fx-bureau takes from the client only its `domain` (pure rules, no Qt, no store): every import of an
`fx_desktop` module, and every package named to importlib, in every module of fx_bureau is checked. Data files
read with importlib.resources from a package without code (fx_desktop.resources) are data, not code."""
from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

import fx_bureau

ROOT = Path(fx_bureau.__file__).parent
ALLOWED = "fx_desktop.domain"
DATA_PACKAGES = {"fx_desktop.resources"}  # read with resources.files(), hold no Python code
_NAMING_CALLS = {"files", "import_module", "__import__", "read_text", "open_text", "open_binary", "read_binary",
                 "path", "contents", "is_resource"}  # importlib / importlib.resources functions naming a package


def _named(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in _NAMING_CALLS and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def client_references(source: str) -> list[tuple[int, str, str]]:
    """(line, module, how) of every fx_desktop module `source` imports or names to importlib."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, "import") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "fx_desktop":
            found += [(node.lineno, f"fx_desktop.{a.name}", "import") for a in node.names]  # from fx_desktop import x
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, "import"))
        elif isinstance(node, ast.Call) and (named := _named(node)):
            found.append((node.lineno, named, "importlib"))
    return [(line, module, how) for line, module, how in found
            if module == "fx_desktop" or module.startswith("fx_desktop.")]


def refused(module: str, how: str) -> bool:
    if module == ALLOWED or module.startswith(ALLOWED + "."):
        return False
    return not (how == "importlib" and module in DATA_PACKAGES)


def test_fx_bureau_imports_nothing_of_the_client_but_its_domain():
    modules = sorted(ROOT.rglob("*.py"))
    assert len(modules) > 15 and any(p.name == "mutations.py" for p in modules)
    offending = [f"{p.relative_to(ROOT.parent)}:{line} {how} {module}"
                 for p in modules for line, module, how in client_references(p.read_text("utf-8"))
                 if refused(module, how)]
    assert offending == []


def test_the_data_packages_hold_no_code():
    for package in DATA_PACKAGES:
        files = [p for p in resources.files(package).iterdir()]
        assert files and not [p.name for p in files if p.name.endswith(".py")]


def test_the_check_sees_every_way_of_reaching_the_client():
    source = ("import fx_desktop.store\nfrom fx_desktop.services.cases import x\nfrom fx_desktop import sync\n"
              "from fx_desktop.domain import case_fields\nfrom fx_desktop.domain.errors import DomainError\n"
              "importlib.import_module('fx_desktop.views')\nresources.files('fx_desktop.resources')\n"
              "resources.files('fx_desktop.services')\nfrom . import reviews\nfrom fx_desktop import domain\n")
    bad = {module for _line, module, how in client_references(source) if refused(module, how)}
    assert bad == {"fx_desktop.store", "fx_desktop.services.cases", "fx_desktop.sync", "fx_desktop.views",
                   "fx_desktop.services"}
