"""Is the keyboard focus visible? A measurement on screenshots (issue 23 item 1).

For each focusable element of the current page, `assert_focus_visible(page)` screenshots
its box and a few pixels around it twice, unfocused and focused (`:focus-visible`), and
compares the two pixel by pixel. A pixel is part of the indicator when the WCAG contrast
ratio between its two colours is at least 3:1 (1.4.11; 2.4.13 measures the indicator
the same way). The indicator must run along all four sides of the element at least
2px thick: every side needs such pixels in at least 80% of its positions (the rest
allows for anti-aliased rounded corners and for text that touches the ring, such as
the full stop after a link in a sentence), and there must be at least as many of them
as a 2px perimeter of the element has. An underline, a faint ring or a colour shift of
the text alone fails. A link that wraps is measured line by line, as it is outlined.

Pages have many links of the same few kinds, so a page is measured up to `cap` elements,
but the first element of every distinct kind (where it sits: header, main or footer; tag;
type; classes) is always measured, so a kind cannot hide behind the cap.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from PIL import Image

MARGIN = 8  # px around the box: the outline sits 2-5px outside it
RATIO = 3.0
THICKNESS = 2
COVERAGE = 0.8

# Marks the elements to measure and names their kind; returns how many it marked.
_MARK = """
(cap) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
    '[tabindex]:not([tabindex="-1"])';
  const states = new Set(['active', 'show', 'is-invalid', 'is-valid', 'collapsed']);
  const seen = new Set();
  const first = [], rest = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || el.closest('[hidden], [inert]')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const region = el.closest('header') ? 'header' : el.closest('footer') ? 'footer' : 'main';
    const classes = [...el.classList].filter((c) => !states.has(c)).sort().join('.');
    const kind = [region, el.tagName.toLowerCase(), el.type || '', classes].join(' ');
    el.dataset.focusKind = kind;
    (seen.has(kind) ? rest : first).push(el);
    seen.add(kind);
  }
  const chosen = first.concat(rest.slice(0, Math.max(0, cap - first.length)));
  chosen.forEach((el, i) => { el.dataset.focusProbe = String(i); });
  return chosen.length;
}
"""


@dataclass
class Miss:
    kind: str
    name: str
    sides: dict[str, float]
    area: tuple[int, int]

    def __str__(self) -> str:
        covered = ", ".join(f"{side} {share:.0%}" for side, share in self.sides.items())
        found, needed = self.area
        return (
            f"{self.kind!r} ({self.name!r}): >= {RATIO}:1 change along {covered}; "
            f"{found} such pixels of {needed} needed"
        )


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(c) for c in range(256)]


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Two animation frames: the screenshot then shows the page as painted after the change.
_PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _shot(page) -> Image.Image:
    page.evaluate(_PAINTED)
    png = page.screenshot(animations="disabled", caret="hide")
    return Image.open(io.BytesIO(png)).convert("RGB")


Box = tuple[int, int, int, int]  # left, top, right, bottom in viewport pixels


def _edges(rect: dict) -> Box:
    return (
        round(rect["x"]),
        round(rect["y"]),
        round(rect["x"] + rect["width"]),
        round(rect["y"] + rect["height"]),
    )


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def indicator(before: Image.Image, after: Image.Image, box: Box) -> tuple[dict[str, float], int]:
    """Each side's share of positions with >= THICKNESS indicator pixels across the side,
    and the number of indicator pixels in and around the box."""
    left, top, right, bottom = box
    width, height = before.size
    old, new = before.load(), after.load()

    def strong(x: int, y: int) -> bool:
        return 0 <= x < width and 0 <= y < height and contrast(old[x, y], new[x, y]) >= RATIO

    def share(positions, across) -> float:
        positions = list(positions)
        hits = sum(sum(strong(*xy) for xy in across(p)) >= THICKNESS for p in positions)
        return hits / len(positions) if positions else 1.0

    band = range(-MARGIN, MARGIN)
    sides = {
        "top": share(range(left, right), lambda x: [(x, top + d) for d in band]),
        "bottom": share(range(left, right), lambda x: [(x, bottom - 1 - d) for d in band]),
        "left": share(range(top, bottom), lambda y: [(left + d, y) for d in band]),
        "right": share(range(top, bottom), lambda y: [(right - 1 - d, y) for d in band]),
    }
    area = sum(
        strong(x, y)
        for x in range(left - MARGIN, right + MARGIN)
        for y in range(top - MARGIN, bottom + MARGIN)
    )
    return sides, area


def _perimeter(box: Box) -> int:
    """The area of a 2px-thick line along the inside of the box (WCAG 2.4.13's minimum)."""
    width, height = box[2] - box[0], box[3] - box[1]
    return max(0, 2 * THICKNESS * (width + height) - 4 * THICKNESS * THICKNESS)


_RECTS = (
    "el => [...el.getClientRects()].map(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))"
)


def _pair(page, element) -> tuple[Image.Image, Image.Image, list[Box]]:
    """Screenshots unfocused and focused at the same scroll position, and the boxes to
    measure: the element's box in both states (the skip link appears only when focused),
    or each line of an inline element that wraps."""
    kind = element.get_attribute("data-focus-kind")
    for _ in range(3):
        # Centred, so that the ring around an element at the page's edge is in view.
        element.evaluate("el => el.scrollIntoView({block: 'center', inline: 'nearest'})")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        scrolled = page.evaluate("[scrollX, scrollY]")
        unfocused = [_edges(r) for r in element.evaluate(_RECTS)]
        before = _shot(page)
        visible = element.evaluate(
            "el => { el.focus({preventScroll: true}); return el.matches(':focus-visible'); }"
        )
        assert visible, f"focus() did not make {kind!r} match :focus-visible"
        focused = [_edges(r) for r in element.evaluate(_RECTS)]
        after = _shot(page)
        if page.evaluate("[scrollX, scrollY]") != scrolled:
            continue
        if len(focused) > 1 and focused == unfocused:
            return before, after, focused
        box = focused[0]
        for other in unfocused + focused:
            box = _union(box, other)
        return before, after, [box]
    raise AssertionError(f"the page kept scrolling while {kind!r} was measured")


def measure(page, index: int) -> Miss | None:
    element = page.locator(f'[data-focus-probe="{index}"]')
    before, after, boxes = _pair(page, element)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for box in boxes:
        sides, area = indicator(before, after, box)
        if min(sides.values()) >= COVERAGE and area >= _perimeter(box):
            continue
        if folder := os.environ.get("FOCUS_DEBUG_DIR"):  # to look at what was measured
            left, top, right, bottom = box
            around = (left - MARGIN, top - MARGIN, right + MARGIN, bottom + MARGIN)
            before.crop(around).save(f"{folder}/focus-{index}-unfocused.png")
            after.crop(around).save(f"{folder}/focus-{index}-focused.png")
        name = element.evaluate(
            "el => (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')"
            ".trim().slice(0, 40)"
        )
        kind = element.get_attribute("data-focus-kind") or ""
        return Miss(kind, name, sides, (area, _perimeter(box)))
    return None


def assert_focus_visible(page, *, cap: int = 40) -> int:
    """Every measured element shows a >= 3:1 focus indicator; returns how many were measured."""
    # Bootstrap scrolls smoothly unless motion is reduced: the two screenshots of a pair
    # must be taken at rest. A key press first: Chromium then treats script focus like
    # keyboard focus (:focus-visible).
    page.emulate_media(reduced_motion="reduce")
    page.keyboard.press("Shift")
    page.mouse.move(0, 0)
    count = page.evaluate(_MARK, cap)
    misses = [miss for i in range(count) if (miss := measure(page, i))]
    assert misses == [], f"{page.url}:\n" + "\n".join(map(str, misses))
    return count
