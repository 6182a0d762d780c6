from datetime import date, datetime

from django import template
from django.forms import BaseFormSet
from django.utils.safestring import mark_safe

from gds_portal import form_errors
from gds_portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str | None) -> str:
    # The one place user text becomes HTML: render_markdown sanitises with an allowlist.
    return mark_safe(render_markdown(source))  # noqa: S308 -- nh3 allowlist sanitised it


@register.filter(name="html_datetime", expects_localtime=True)
def html_datetime(value: datetime | date | None) -> str:
    """`value` for a <time datetime="…"> attribute, in the template's time zone.

    Django's `|date:"c"` is Python's isoformat, which writes six digits of a second's
    fraction; the HTML standard allows at most three, and a seconds' precision is all a
    page shows: whole seconds, with the zone's offset (e.g. 2021-03-01T17:59:00-05:00).
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.inclusion_tag("gds_portal/error_summary.html", takes_context=True)
def error_summary(context, form):
    """The error summary at the top of a crispy form (templates/bootstrap5/errors.html).

    A page whose form holds a formset passes it as `formset` (the abstract form's author
    rows); the form's summary lists the rows' errors, and each row shows only its own
    non-field errors where it stands.
    """
    formset = context.get("formset")
    if not isinstance(formset, BaseFormSet):
        formset = None
    if formset is not None and any(form is row for row in formset.forms):
        return {"row_errors": form.non_field_errors(), "row_errors_id": f"{form.prefix}-errors"}
    items = form_errors.summary(form, formset) if form.is_bound else []
    prefix = f"{form.prefix}-" if form.prefix else ""
    return {
        "items": items,
        "title": context.get("form_error_title"),
        "summary_id": f"{prefix}error-summary",
    }
