"""WCAG 2.2 criteria the portal meets by not doing something, checked in its own
scripts, styles and templates so that a change that starts doing it fails here first
(docs/accessibility.md, "Conformance"). The vendored Bootstrap bundle is not ours to
check line by line; the browser tests (axe, keyboard journeys) cover what it does."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPTS = sorted((ROOT / "static" / "js").glob("*.js"))
STYLES = sorted((ROOT / "static" / "css").glob("*.css"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def _listened(script: Path) -> set[str]:
    return set(re.findall(r"addEventListener\(\s*[\"']([\w.-]+)[\"']", script.read_text()))


def test_our_scripts_are_found():
    assert {path.name for path in SCRIPTS} >= {"site.js", "meetings.js", "crrg.js"}
    assert "keydown" in _listened(ROOT / "static" / "js" / "site.js")


def test_no_gesture_drag_motion_or_hover_handlers():
    """2.5.1 pointer gestures, 2.5.2 pointer cancellation (nothing acts on the down
    event), 2.5.4 motion actuation, 2.5.7 dragging movements, 1.4.13 content on hover
    or focus (nothing appears on hover)."""
    forbidden = {
        "mousedown", "pointerdown", "touchstart", "touchmove", "pointermove", "dragstart",
        "drag", "drop", "devicemotion", "deviceorientation", "mouseover", "mouseenter",
    }  # fmt: skip
    used = {path.name: _listened(path) & forbidden for path in SCRIPTS}
    assert {name: events for name, events in used.items() if events} == {}
    for path in TEMPLATES:
        assert not re.search(
            r"draggable=\"true\"|data-bs-toggle=\"(tooltip|popover)\"", path.read_text()
        ), path


def test_the_only_key_handler_is_escape():
    """2.1.4 character key shortcuts: no single-character shortcut; the one key handler
    (site.js) reacts to Escape alone."""
    for path in SCRIPTS:
        source = path.read_text()
        for event in ("keydown", "keyup", "keypress"):
            if event in _listened(path):
                assert path.name == "site.js" and 'event.key !== "Escape"' in source, path


def test_nothing_moves_flashes_or_plays_by_itself():
    """2.2.2 pause, stop, hide; 2.3.1 three flashes; 1.4.2 audio control: no animation
    of our own, no carousel, no autoplaying media (replays start when the person
    presses play)."""
    for path in STYLES:
        assert not re.search(r"@keyframes|\banimation\s*:", path.read_text()), path
    for path in TEMPLATES:
        assert not re.search(r"\bautoplay\b|carousel|<marquee|<blink", path.read_text()), path


def test_no_page_locks_the_orientation():
    """1.3.4 orientation (axe's css-orientation-lock runs in the browser tests too)."""
    for path in SCRIPTS:
        assert "orientation.lock" not in path.read_text(), path
    for path in STYLES:
        assert "orientation:" not in path.read_text().replace(" ", ""), path
