"""`{% visitor_part "account" %}`: a part of the page that belongs to the visitor.

In a normal render it is the part's template, rendered with the page's context (like
`{% include %}`); in a shared render (gds_portal/sharedpages.py) it is a marker that
each member's request replaces with the part rendered for them.
"""

from django import template
from django.utils.safestring import mark_safe

from gds_portal.sharedpages import part_marker, render_part, visitor_parts

register = template.Library()


@register.simple_tag(takes_context=True)
def visitor_part(context, name: str, *args):
    if name not in visitor_parts:
        raise template.TemplateSyntaxError(f"Unknown visitor part {name!r}.")
    if context.get("gds_shared_render"):
        # Our own marker: a registered name and ids/slugs, checked by part_marker.
        return mark_safe(part_marker(name, args))  # noqa: S308 -- no visitor text in it
    request = context.get("request")
    # A template's autoescaped output, as `{% include %}` would give.
    return mark_safe(render_part(name, args, request, context))  # noqa: S308 -- autoescaped
