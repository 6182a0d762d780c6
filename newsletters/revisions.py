"""Reading revisions of articles and issues: what changed between two, field by field.

Every save of an article or an issue is a django-simple-history version (a revision).
Comparing two builds on simple-history's `diff_against`, which names the fields that
differ; long text (an article's standfirst and body, an issue's summary) is then
compared line by line with difflib. The result is plain data: the admin template
escapes every value, so an editor's text never becomes markup, whatever it contains.

One implementation serves both models; a `RevisionSpec` says, per model, which fields a
revision shows and a restore puts back. An issue's status and publication time are not
among them: restoring never publishes, unpublishes or reschedules an issue (that is the
publish and unpublish actions' job, with their own checks).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404

from newsletters.models import Article, Issue


@dataclass(frozen=True)
class RevisionSpec:
    model: type[models.Model]
    # The fields a revision carries and a restore puts back, in the order the admin shows them.
    fields: tuple[str, ...]
    # Compared line by line; the other fields are short enough to show whole.
    line_fields: frozenset[str]
    # Who may restore (newsletters/rules.py), asked with the object.
    restore_perm: str
    # Shown on the comparison page when nothing restorable differs.
    unchanged: str
    # Shown beside the restore button.
    restore_note: str
    # Why a restore can collide with another row (the model's unique constraints).
    conflict: str

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)


ARTICLE_REVISIONS = RevisionSpec(
    model=Article,
    fields=("issue", "order", "kind", "title", "slug", "standfirst", "body"),
    line_fields=frozenset({"standfirst", "body"}),
    restore_perm="newsletters.restore_article_revision",
    unchanged="The two revisions have the same text, title, address, kind, order and issue.",
    restore_note=(
        "Restoring saves the older revision's fields as a new revision; nothing is lost, "
        "and the restore can be undone the same way."
    ),
    conflict=(
        "Another article in this issue now uses the address “{obj.slug}”; "
        "change one of the two addresses, then restore again."
    ),
)
ISSUE_REVISIONS = RevisionSpec(
    model=Issue,
    fields=("title", "slug", "season", "year", "volume", "number", "summary", "cover", "pdf"),
    line_fields=frozenset({"summary"}),
    restore_perm="newsletters.restore_issue_revision",
    unchanged=(
        "The two revisions have the same title, address, season, year, volume, number, "
        "summary, cover and PDF (a change of status or publication time is not a revision "
        "to restore: see the publication history)."
    ),
    restore_note=(
        "Restoring saves the older revision's title, address, season, year, volume, number, "
        "summary, cover and PDF as a new revision; nothing is lost, and the restore can be "
        "undone the same way. It never publishes, unpublishes or reschedules the issue: its "
        "status and publication time stay as they are now."
    ),
    conflict=(
        "Another issue now uses the address “{obj.slug}” or the season "
        "{obj.season} {obj.year}; change one of the two, then restore again."
    ),
)
SPECS: dict[type[models.Model], RevisionSpec] = {
    spec.model: spec for spec in (ARTICLE_REVISIONS, ISSUE_REVISIONS)
}


def spec_for(model_or_obj: Any) -> RevisionSpec:
    """The spec of an article or issue, its class, or one of its revisions."""
    model = getattr(model_or_obj, "instance_type", None) or model_or_obj
    if not isinstance(model, type):
        model = type(model)
    return SPECS[model]


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


def revisions_of(obj: models.Model) -> models.QuerySet[Any]:
    history = obj.history  # type: ignore[attr-defined]  # simple-history's manager
    return history.select_related("history_user").order_by("-history_date", "-history_id")


def revision_of(obj: models.Model, revision_id: int | str | None) -> Any:
    """One revision of `obj`; 404 for another object's revision or none at all."""
    try:
        return revisions_of(obj).get(history_id=int(revision_id))  # type: ignore[arg-type]
    except (ValueError, TypeError, obj.history.model.DoesNotExist) as error:  # type: ignore[attr-defined]
        raise Http404(f"No such revision of this {spec_for(obj).noun}.") from error


def _shown(revision: Any, name: str) -> str:
    field = spec_for(revision).model._meta.get_field(name)
    if field.is_relation:
        related = getattr(revision, name)  # the live related object, e.g. the issue
        return str(related) if related is not None else "—"
    value = getattr(revision, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
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
    spec = spec_for(new)
    delta = new.diff_against(old, included_fields=list(spec.fields))
    changed = {change.field for change in delta.changes}
    changes = []
    for name in spec.fields:
        if name not in changed:
            continue
        before, after = _shown(old, name), _shown(new, name)
        lines = line_diff(before, after) if name in spec.line_fields else None
        label = str(spec.model._meta.get_field(name).verbose_name)
        changes.append(FieldChange(label=label, old=before, new=after, lines=lines))
    return changes
