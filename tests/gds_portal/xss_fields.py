"""XSS corpus fields of the site frame: flat pages, site configuration, mail.

See tests/security/xss.py for the format."""

from django.contrib.flatpages.models import FlatPage

from gds_portal.models import OutboundEmail, SiteConfiguration


def seed(corpus) -> list[str]:
    # The data migration's About page, if it is there: /about/ shows the first match.
    page = FlatPage.objects.filter(url="/about/").first() or FlatPage(url="/about/")
    page.title = corpus.text("flat page title", 200)
    page.content = corpus.markdown("flat page content")
    page.save()
    page.sites.add(1)
    config = SiteConfiguration.get_solo()
    config.tagline = corpus.text("site tagline", 200)
    config.disclaimer = corpus.text("site disclaimer")
    config.save()
    mail = OutboundEmail.objects.create(
        to=["someone@example.org"],
        subject=corpus.text("mail subject"),
        body_text=corpus.text("mail text body"),
    )
    return [
        "/",
        "/about/",
        "/admin/flatpages/flatpage/",
        f"/admin/flatpages/flatpage/{page.pk}/change/",
        "/admin/gds_portal/siteconfiguration/",
        "/admin/gds_portal/outboundemail/?status=all",
        f"/admin/gds_portal/outboundemail/{mail.pk}/change/",
    ]
