"""What never imports what (docs/architecture.md, "The house").

- the ground floor (`gds_portal`) imports no domain app and no bench/devtools code;
- a domain app never imports another domain app;
- `community` and `accounts` import no domain app;
- no production module imports `bench` or `devtools`.

Read from the source with `ast`, so it needs no import of the code and no extra
tool: every `import`/`from … import` in every module of every app (migrations,
management commands and imports under TYPE_CHECKING included), plus dynamic
imports by literal name (`import_module("…")`, `import_string("…")`).
Configuration that names apps by string, as Django's project layer does
(INSTALLED_APPS, the root URLconf's `include("meetings.urls")`), is not an
import and is not counted.

The app lists are discovered from the tree (every top-level folder with an
apps.py), so a new app is held to the rules the day it lands. There are no
exceptions today; one would be listed here, commented, with its reason.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GROUND_FLOOR = "gds_portal"
SHARED = ("accounts", "community")
DEVELOPMENT = ("bench", "devtools")
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
DOMAIN = [app for app in APPS if app not in (GROUND_FLOOR, *SHARED, *DEVELOPMENT)]
# Production code: every app but the development ones, the operations scripts and
# the entry point.
PRODUCTION = [app for app in APPS if app not in DEVELOPMENT] + ["scripts", "manage.py"]
DYNAMIC_IMPORTS = {"import_module", "import_string", "__import__"}
# (module, imported package) pairs allowed to break a rule, each with its reason.
EXCEPTIONS: set[tuple[str, str]] = set()


def _modules(package: str) -> list[Path]:
    path = ROOT / package
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def _imported_packages(source: Path) -> set[str]:
    """The top-level packages a module imports."""
    found = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and _called_name(node) in DYNAMIC_IMPORTS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value.split(".")[0])
    return found


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _violations(packages: list[str], forbidden) -> list[str]:
    """'module imports package' for every import of a forbidden package."""
    found = []
    for package in packages:
        for source in _modules(package):
            module = str(source.relative_to(ROOT))
            for imported in sorted(_imported_packages(source)):
                if imported in forbidden(package) and (module, imported) not in EXCEPTIONS:
                    found.append(f"{module} imports {imported}")
    return found


def test_the_apps_are_found():
    # Guards the discovery itself: an empty list would make every rule pass.
    assert {"gds_portal", "accounts", "community", "devtools"} <= set(APPS)
    assert {"newsletters", "meetings", "webinars", "crrg"} <= set(DOMAIN)


def test_the_ground_floor_imports_no_domain_app_and_no_development_code():
    forbidden = {*DOMAIN, *DEVELOPMENT}
    assert _violations([GROUND_FLOOR], lambda _: forbidden) == []


@pytest.mark.parametrize("app", DOMAIN)
def test_a_domain_app_imports_no_other_domain_app(app):
    assert _violations([app], lambda own: set(DOMAIN) - {own}) == []


def test_community_and_accounts_import_no_domain_app():
    assert _violations(list(SHARED), lambda _: set(DOMAIN)) == []


def test_production_modules_never_import_bench_or_devtools():
    assert _violations(PRODUCTION, lambda _: set(DEVELOPMENT)) == []


def test_the_checker_sees_static_relative_and_dynamic_imports(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "import meetings.models\n"
        "from crrg import rules\n"
        "from . import sibling\n"
        "from importlib import import_module\n"
        "import_module('bench.generate')\n"
    )
    assert _imported_packages(source) == {"meetings", "crrg", "importlib", "bench"}
