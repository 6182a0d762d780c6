"""Reading an article's revisions: what changed between two of them, field by field.

Every save of an article is a django-simple-history version (a revision). Comparing
two builds on simple-history's `diff_against`, which names the fields that differ;
long text (the standfirst and the body) is then compared line by line with difflib.
The result is plain data: the admin template escapes every value, so an editor's
text never becomes markup, whatever it contains.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404

from newsletters.models import Article

# The fields a revision carries and a restore puts back, in the order the admin shows them.
REVISED_FIELDS = ["issue", "order", "kind", "title", "slug", "standfirst", "body"]
# Compared line by line; the other fields are short enough to show whole.
LINE_DIFF_FIELDS = {"standfirst", "body"}


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed" or "added"
    text: str

    @property
    def sign(self) -> str:
        # A true minus sign: as wide as the plus, and read as "minus" by screen readers.
        return {"removed": "\N{MINUS SIGN}", "added": "+"}.get(self.kind, " ")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    lines: list[DiffLine] | None  # line by line for long text, else None


def article_revisions(article: Article) -> models.QuerySet[Any]:
    return article.history.select_related("history_user").order_by("-history_date", "-history_id")


def article_revision(article: Article, revision_id: int | str) -> Any:
    """One revision of `article`; 404 for another article's revision or none at all."""
    try:
        return article_revisions(article).get(history_id=int(revision_id))
    except (ValueError, TypeError, article.history.model.DoesNotExist) as error:
        raise Http404("No such revision of this article.") from error


def _shown(revision: Any, name: str) -> str:
    field = Article._meta.get_field(name)
    if field.is_relation:
        related = getattr(revision, name)  # the live related object, e.g. the issue
        return str(related) if related is not None else "—"
    value = getattr(revision, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def line_diff(old: str, new: str) -> list[DiffLine]:
    """Every line of both texts, in order, marked as kept, removed or added."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [DiffLine("same", text) for text in old_lines[i1:i2]]
            continue
        lines += [DiffLine("removed", text) for text in old_lines[i1:i2]]
        lines += [DiffLine("added", text) for text in new_lines[j1:j2]]
    return lines


def revision_changes(old: Any, new: Any) -> list[FieldChange]:
    """What changed from revision `old` to revision `new`, in the admin's field order."""
    delta = new.diff_against(old, included_fields=REVISED_FIELDS)
    changed = {change.field for change in delta.changes}
    changes = []
    for name in REVISED_FIELDS:
        if name not in changed:
            continue
        before, after = _shown(old, name), _shown(new, name)
        lines = line_diff(before, after) if name in LINE_DIFF_FIELDS else None
        label = str(Article._meta.get_field(name).verbose_name)
        changes.append(FieldChange(label=label, old=before, new=after, lines=lines))
    return changes
