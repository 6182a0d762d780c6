from django.shortcuts import render
from django.views.decorators.http import require_safe

from community.selectors import person_by_slug
from gds_portal.access import public
from gds_portal.sections import person_page
from gds_portal.sharedpages import shared_with_members


@shared_with_members
@public
@require_safe
def person_detail(request, slug: str):
    person = person_by_slug(slug)
    context = {"person": person, "sections": person_page.render(request, person)}
    return render(request, "community/person_detail.html", context)
