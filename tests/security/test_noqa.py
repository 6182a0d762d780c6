"""Every exception to ruff's security (bandit, S…) rules says why, on the same line."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOQA_S = re.compile(r"#\s*noqa:[^#\n]*\bS\d{3}")
JUSTIFIED = re.compile(r"#\s*noqa:\s*[A-Z0-9, ]+\s+--\s+\S.{5,}")


def python_files():
    for path in ROOT.rglob("*.py"):
        if not {".venv", "var", "node_modules"} & set(path.relative_to(ROOT).parts):
            yield path


def test_every_security_noqa_is_justified():
    unjustified = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in python_files()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if NOQA_S.search(line) and not JUSTIFIED.search(line)
    ]
    assert unjustified == [], "write `# noqa: S…  -- why this is safe`"


def test_bandit_rules_are_on():
    assert re.search(r'select = \[[^\]]*"S"', (ROOT / "pyproject.toml").read_text())
