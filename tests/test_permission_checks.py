"""Admins and views ask for permissions by name, never by calling a rule's predicate.

Each app declares its rules once (`rules.add_perm` in its rules.py); a view or admin
that calls `is_program_committee(user)` itself keeps a second, private copy of who
may do what, which the role table and the named permissions no longer describe
(docs/accounts.md, "Committee roles"). They call `request.user.has_perm(name)`, or
`rules.has_perm(name, user)` where superusers must not pass by default.

Read from the source with `ast`: every call, in every admin and view module of every
app, of a name that is a predicate in some app's rules module or in django-rules.
"""

import ast
import importlib
from pathlib import Path

import rules.predicates
from rules import Predicate

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def _predicate_names() -> set[str]:
    modules = [rules.predicates]
    modules += [
        importlib.import_module(f"{app}.rules")
        for app in APPS
        if (ROOT / app / "rules.py").exists()
    ]
    return {
        name
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, Predicate)
    }


def _admin_and_view_modules() -> list[Path]:
    """admin.py and views.py of every app, any *views.py beside them, and the modules
    of admin/ or views/ packages."""
    found = []
    for app in APPS:
        for source in sorted((ROOT / app).rglob("*.py")):
            parts = source.relative_to(ROOT / app).parts
            in_package = parts[0] in {"admin", "views"} and len(parts) > 1
            named = source.stem in {"admin", "views"} or source.stem.endswith("views")
            if "migrations" not in parts and (in_package or named):
                found.append(source)
    return found


def _called_names(source: Path) -> list[tuple[int, str]]:
    """(line, name) of each call by bare name or attribute, less bare calls of the
    module's own functions (community/admin.py's `may_link_accounts(request)` asks
    has_perm; it only shares the rule's name)."""
    tree = ast.parse(source.read_text(), filename=str(source))
    own = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id not in own:
            calls.append((node.lineno, node.func.id))
        elif isinstance(node.func, ast.Attribute):
            calls.append((node.lineno, node.func.attr))
    return calls


def test_the_search_finds_predicates_and_modules():
    # Guards the discovery: empty lists would make the rule below pass.
    assert {"is_program_committee", "is_coauthor", "is_coordinator"} <= _predicate_names()
    names = {str(path.relative_to(ROOT)) for path in _admin_and_view_modules()}
    assert {"accounts/views.py", "crrg/admin.py"} <= names


def test_the_search_sees_bare_and_dotted_predicate_calls(tmp_path):
    source = tmp_path / "admin.py"
    source.write_text(
        "def mine(request):\n"
        "    return request.user.has_perm('x')\n"
        "is_program_committee(user)\n"
        "rules.committee_may_handle(user, obj)\n"
        "mine(request)\n"
    )
    assert sorted(_called_names(source)) == [
        (2, "has_perm"),
        (3, "is_program_committee"),
        (4, "committee_may_handle"),
    ]


def test_no_admin_or_view_calls_a_predicate():
    predicates = _predicate_names()
    found = [
        f"{source.relative_to(ROOT)}:{line} calls {name}"
        for source in _admin_and_view_modules()
        for line, name in _called_names(source)
        if name in predicates
    ]
    assert found == []
