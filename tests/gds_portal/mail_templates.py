"""The mail templates on disk, and the template names the site's code sends.

Both are read from the files, so a new mail or a new sender is covered the day it
lands: the templates from `templates/emails/`, the senders from the source of every
installed app of ours with `ast` (no import of the code, no running it).
"""

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
PARTS = ("subject.txt", "body.txt", "body.html")
# `<app>/<kebab-case-name>-<part>`: one folder per app, nothing flat, nothing deeper.
TEMPLATE_FILE = re.compile(
    r"(?P<app>[a-z][a-z0-9_]*)/(?P<name>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<part>"
    + "|".join(re.escape(part) for part in PARTS)
    + ")"
)
MAIL_FUNCTIONS = {"send_template_mail", "render_mail"}
MAIL_MODULE = "gds_portal.mail"


def template_files() -> list[str]:
    """Every file under templates/emails/, relative to it."""
    return sorted(str(path.relative_to(EMAILS)) for path in EMAILS.rglob("*") if path.is_file())


def template_parts() -> dict[str, set[str]]:
    """Template name ("crrg/group-message") → the parts on disk, for files in the scheme."""
    parts = defaultdict(set)
    for file in template_files():
        if match := TEMPLATE_FILE.fullmatch(file):
            parts[f"{match['app']}/{match['name']}"].add(match["part"])
    return dict(parts)


def template_names() -> list[str]:
    return sorted(template_parts())


def our_app_labels() -> set[str]:
    return {config.label for config in _our_apps()}


def _our_apps():
    root = Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if Path(c.path).resolve().is_relative_to(root)]


def _sources() -> list[Path]:
    mail_module = Path(settings.BASE_DIR) / "gds_portal" / "mail.py"
    return [
        path
        for config in _our_apps()
        for path in sorted(Path(config.path).rglob("*.py"))
        # Migrations send nothing; the helper itself only passes names on.
        if "migrations" not in path.parts and path != mail_module
    ]


@dataclass
class Senders:
    """What the code sends: `names` by module, and calls whose name could not be read."""

    names: dict[str, set[str]]
    unreadable: list[str]


def senders() -> Senders:
    found = Senders(names={}, unreadable=[])
    root = Path(settings.BASE_DIR)
    for path in _sources():
        where = str(path.relative_to(root))
        names, unreadable = _sent_names(ast.parse(path.read_text(), filename=where))
        if names:
            found.names[where] = names
        found.unreadable += [f"{where}:{line}" for line in unreadable]
    return found


def _sent_names(tree: ast.Module) -> tuple[set[str], list[int]]:
    """Template names a module passes to the mail helper, and lines where it is unclear.

    A name is read from the call itself ("crrg/group-message"), or, when the call
    passes on a parameter of the function it is in, from each call to that function
    in the module (`_notify_ombudsman("ombudsman/new-concern")`). Anything else is
    reported, so that the test asks for a readable name rather than missing a mail.
    """
    functions, modules = _mail_imports(tree)
    if not functions and not modules:
        return set(), []
    names, unreadable = set(), []
    for function in _functions(tree):
        for call in _calls_in(function):
            if not _is_mail_call(call, functions, modules):
                continue
            argument = _name_argument(call)
            if (literal := _literal(argument)) is not None:
                names.add(literal)
            elif passed := _passed_on(tree, function, argument):
                names |= passed
            else:
                unreadable.append(call.lineno)
    return names, unreadable


def _mail_imports(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names of the helper's functions, and of the helper module itself."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == MAIL_MODULE:
            functions |= {a.asname or a.name for a in node.names if a.name in MAIL_FUNCTIONS}
        elif isinstance(node, ast.ImportFrom) and node.module == "gds_portal":
            modules |= {a.asname or a.name for a in node.names if a.name == "mail"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == MAIL_MODULE and a.asname}
    return functions, modules


def _functions(tree: ast.Module) -> list[ast.AST]:
    # The module itself counts as a "function" with no parameters (module-level calls).
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return [tree, *defs]


def _calls_in(scope: ast.AST) -> list[ast.Call]:
    """Calls directly in `scope`, not in functions nested in it (they are scopes of their own)."""
    calls, pending = [], list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            calls.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return calls


def _is_mail_call(call: ast.Call, functions: set[str], modules: set[str]) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in functions
    return (
        isinstance(func, ast.Attribute)
        and func.attr in MAIL_FUNCTIONS
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    )


def _name_argument(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "name"), None)


def _literal(node: ast.expr | None) -> str | None:
    is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
    return node.value if is_text else None


def _passed_on(tree: ast.Module, function: ast.AST, argument: ast.expr | None) -> set[str] | None:
    """The literal names callers give the parameter `argument` of `function`, or None."""
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    if not isinstance(argument, ast.Name):
        return None
    parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
    keyword_only = [a.arg for a in function.args.kwonlyargs]
    if argument.id not in parameters + keyword_only:
        return None
    names = set()
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
            continue
        if call.func.id != function.name:
            continue
        given = next((k.value for k in call.keywords if k.arg == argument.id), None)
        if given is None and argument.id in parameters:
            index = parameters.index(argument.id)
            given = call.args[index] if index < len(call.args) else None
        if (literal := _literal(given)) is None:
            return None
        names.add(literal)
    return names
