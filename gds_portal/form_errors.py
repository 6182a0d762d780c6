"""The error summary every form shows after a failed submit (issue 23, item 3).

crispy renders templates/bootstrap5/errors.html at the top of each form it lays out;
that template calls `{% error_summary form %}` (gds_portal/templatetags/gds.py), so
every crispy form gets the summary without asking: a box listing each error as a link
to its field, which static/js/site.js focuses when the page loads.

What Django 5.2 already does, and this builds on: a field with errors gets
`aria-invalid="true"` and `aria-describedby="<id>_helptext <id>_error"`, or, for a
radio or tick-box group (`use_fieldset`), crispy puts that aria-describedby on the
group's <fieldset> and aria-invalid on each box; crispy's message block is
`<div id="<id>_error">`. What Django has no place for is an error that is not a
field's: a form's non-field errors (allauth's "wrong password") and a formset's
non-form errors (the abstract form's presenting-author rule). A form or formset names
the fields such an error is about in `non_field_errors_concern` (a formset:
`non_form_errors_concern`, a field of each row) and calls `mark_concerned(self)` at the
end of its full_clean(); those fields are marked invalid and described by the message,
and the summary links to the first of them. An error about fields that only `clean()`
knows (one office's ranked choices on a ballot) is added with `add_error_about()`, which
records the fields for that message alone. (Marking must happen before rendering:
crispy renders a layout's fields before the errors template at its top.)
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class Item:
    text: str  # the message, with the label of the field it is about
    target: str  # the id its link goes to
    id: str = ""  # set when fields are described by the item itself


def _target(field: forms.BoundField) -> str:
    """The control the link goes to; for a radio or tick-box group, the wrapper around it
    (crispy's `div_<id>`), whose first box site.js focuses."""
    return field.id_for_label or f"div_{field.auto_id}"


def _in_page_order(form: forms.BaseForm) -> list[forms.BoundField]:
    """The form's fields in the order its crispy layout shows them (a layout may put a
    field before one declared earlier), so that the summary lists errors in the order a
    person meets the fields (WCAG 1.3.2). A form whose layout leaves a visible field out
    writes that field by hand somewhere the layout cannot tell (the decisions page's tick
    boxes), so it keeps the order it declares."""
    fields = list(form)
    layout = getattr(getattr(form, "helper", None), "layout", None)
    if layout is None:
        return fields
    position = {
        pointer.name: n for n, pointer in reversed(list(enumerate(layout.get_field_names())))
    }
    if any(field.name not in position for field in fields if not field.is_hidden):
        return fields
    return sorted(fields, key=lambda field: position.get(field.name, len(position)))


def _visible(form: forms.BaseForm) -> list[forms.BoundField]:
    return [f for f in _in_page_order(form) if not f.is_hidden and not f.field.disabled]


def _describe(field: forms.BoundField, message_ids: list[str]) -> None:
    """Mark `field` invalid and described by `message_ids` (its help text kept first)."""
    attrs = field.field.widget.attrs
    own = (field.aria_describedby or "").split() if not attrs.get("aria-describedby") else []
    kept = attrs.get("aria-describedby", "").split()
    attrs["aria-describedby"] = " ".join(dict.fromkeys([*own, *kept, *message_ids]))
    attrs["aria-invalid"] = "true"


def _concerned(form: forms.BaseForm, names) -> list[forms.BoundField]:
    return [form[name] for name in names if name in form.fields]


def _field_items(form: forms.BaseForm, prefix: str = "") -> list[Item]:
    first = next(iter(_visible(form)), None)
    items = []
    for field in _in_page_order(form):
        # A hidden field has nothing to point at: its error is about the whole form.
        target = _target(first) if field.is_hidden and first else _target(field)
        label = " ".join(str(field.label).split())
        label += " " if label.endswith(("?", ":", ".")) else ": "  # a question asks itself
        items += [Item(f"{prefix}{label}{message}", target) for message in field.errors]
    return items


def _non_field_ids(form: forms.BaseForm) -> list[str]:
    base = f"{form.prefix}-" if form.prefix else ""
    return [f"{base}nonfield_error_{n}" for n in range(1, len(form.non_field_errors()) + 1)]


def add_error_about(form: forms.BaseForm, names, message: str) -> None:
    """Add `message` as a non-field error of `form` about the fields `names` together
    (a gap between ranked choices): `mark_concerned(form)` marks those fields invalid,
    described by this message only, and the summary links to the first of them."""
    form.add_error(None, message)
    form.__dict__.setdefault("_errors_about", {})[message] = tuple(names)


def _about(form: forms.BaseForm, message) -> list[forms.BoundField]:
    """The fields a non-field error is about: its own (add_error_about), else the form's."""
    names = getattr(form, "_errors_about", {}).get(str(message))
    return _concerned(form, names or getattr(form, "non_field_errors_concern", ()))


def _rows(formset: forms.BaseFormSet) -> list[forms.BaseForm]:
    """The rows the page shows as rows (not those ticked for removal)."""
    return [f for f in formset.forms if not (f.is_bound and f.cleaned_data.get("DELETE"))]


def mark_concerned(form_or_formset: forms.BaseForm | forms.BaseFormSet) -> None:
    """Mark the fields a form's non-field errors (a formset's non-form errors) concern."""
    if isinstance(form_or_formset, forms.BaseFormSet):
        formset = form_or_formset
        if formset.non_form_errors():
            names = getattr(formset, "non_form_errors_concern", ())
            for field in [field for row in _rows(formset) for field in _concerned(row, names)]:
                _describe(field, [formset_error_id(formset)])
    else:
        form = form_or_formset
        for message, id_ in zip(form.non_field_errors(), _non_field_ids(form), strict=True):
            for field in _about(form, message):
                _describe(field, [id_])


def _non_field_items(form: forms.BaseForm) -> list[Item]:
    errors = form.non_field_errors()
    if not errors:
        return []
    items = []
    for message, id_ in zip(errors, _non_field_ids(form), strict=True):
        concerned = _about(form, message)
        first = concerned[0] if concerned else next(iter(_visible(form)), None)
        items.append(Item(str(message), _target(first) if first else "", id_))
    return items


def formset_error_id(formset: forms.BaseFormSet) -> str:
    """The id of the block that shows a formset's non-form errors."""
    return f"{formset.prefix}_error"


def _formset_items(formset: forms.BaseFormSet) -> list[Item]:
    rows = _rows(formset)
    label = getattr(formset, "row_label", "Row")
    items = []
    if errors := formset.non_form_errors():
        names = getattr(formset, "non_form_errors_concern", ())
        concerned = [field for row in rows for field in _concerned(row, names)]
        first = concerned[0] if concerned else next(iter(_visible(rows[0])), None) if rows else None
        items += [Item(str(message), _target(first) if first else "") for message in errors]
    for number, row in enumerate(rows, start=1):
        items += _non_field_items(row) + _field_items(row, prefix=f"{label} {number}, ")
    return items


def summary(form: forms.BaseForm, formset: forms.BaseFormSet | None = None) -> list[Item]:
    """Every error of `form` (and of the rows of `formset`, which it holds), in the
    fields' order."""
    items = _non_field_items(form) + _field_items(form)
    if formset is not None and formset.is_bound:
        items += _formset_items(formset)
    return items
