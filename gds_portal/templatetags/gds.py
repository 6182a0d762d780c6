from django import template
from django.utils.safestring import mark_safe

from gds_portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str | None) -> str:
    # The one place user text becomes HTML: render_markdown sanitises with an allowlist.
    return mark_safe(render_markdown(source))  # noqa: S308 -- nh3 allowlist sanitised it
