"""Slots where apps add their own blocks to pages another app owns.

`my_gds` is the member's dashboard (accounts) and `person_page` the public
profile (community). An app registers a section once, in its AppConfig.ready():

    my_gds.register(Section("My abstracts", "meetings/_my_gds.html", my_abstracts, order=20))

`flatpage_sections` are blocks under a flat page's text (the diversity statement
points to the ombudsman and the survey); their callables receive the FlatPage and
return None for pages they have nothing to add to. A flat page is cached for
visitors, so these hold only what every reader may see.

The context callable receives the request (and the person or flat page)
and returns the template's context, or None to leave the section out.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    title: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


class SectionRegistry:
    def __init__(self, name: str):
        self.name = name
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> None:
        # Keyed by template so a module imported twice does not register twice.
        self._sections[section.template] = section

    def render(self, request, *args) -> list[dict[str, str]]:
        """Each visible section as {"title", "html"}, in order."""
        rendered = []
        base = None
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.title)):
            context = section.context(request, *args)
            if context is None:
                continue
            base = base if base is not None else _request_values(request)
            html = render_to_string(section.template, {**base, **context})
            rendered.append({"title": section.title, "html": html})
        return rendered


def _request_values(request) -> dict[str, Any]:
    """What a section's template may use of the request, computed once per page.

    Rendering each section with `request=` ran every context processor once per section
    (seven times on My GDS: the site settings, the navigation, the messages), which
    profiling showed as a tenth of the page (issue 20). Sections use only these."""
    from django.contrib.auth.context_processors import PermWrapper
    from django.template.context_processors import csrf

    from gds_portal.context_processors import visitor

    values = {"request": request, "user": request.user, "perms": PermWrapper(request.user)}
    values.update(csrf(request))
    values.update(visitor(request))  # in a shared page: the CSRF marker (sharedpages)
    return values


my_gds = SectionRegistry("my_gds")
person_page = SectionRegistry("person_page")
home_page = SectionRegistry("home_page")
flatpage_sections = SectionRegistry("flatpage")
