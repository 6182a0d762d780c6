"""The diversity page quotes the statement with its four actions; a Code of Conduct page.

Both are flat pages the executive committee edits afterwards. The diversity page is
replaced only while it still holds the text 0002 wrote; an edited page keeps its
text and loses only the editing note readers were shown (issue 18, item 6).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

OLD_NOTE = "*This page is edited by the executive committee in the admin (Flat pages).*"
OLD_OPENING = "The GDS executive committee is committed to a diverse, equitable and inclusive"

# The statement is the group's own, published in the GDS newsletter (summer 2020).
DIVERSITY = """The executive committee published this statement in the GDS newsletter in
summer 2020. It still guides what the group does.

> Within GDS, we are committed to fostering a diverse, equitable, and inclusive community
> where all members can feel safe and welcome. We stand by the APS Diversity Statement and
> the more recent APS Leadership Letter Condemning Racism, and firmly believe that
> diversity and inclusion are at the heart of vibrant and productive science. There is
> great richness that comes from a plurality of thought and experience. GDS treasures
> diversity and seeks to connect physicists from all groups who are interested in data
> science applications.
>
> However, in many ways, our communities are still far from environments where all groups
> of people are welcomed, valued, and empowered to flourish.
>
> GDS is committed to promoting more diverse, equitable, and inclusive communities. The GDS
> executive committee seeks to both understand and address on-going challenges, and will
> take the following actions in the coming months.
>
> - Survey our membership to better understand the barriers and challenges that currently
>   exist across the intersection of physics and data science.
> - Establish an ombudsman for diversity, equity, and inclusion to further support the
>   people within our GDS community.
> - Host a webinar focused on diversity, equity, and inclusion as part of the on-going GDS
>   webinar series, which will include a discussion on how data science can be used to
>   expose and address issues of diversity, equity, and inclusion.
> - Play an active role in identifying and recruiting speakers from historically
>   marginalized groups to highlight the scholarly work being conducted by the full
>   diversity of researchers.
>
> GDS will continue to pursue and support activities that promote diversity, equity, and
> inclusion. The GDS executive committee always welcomes suggestions and comments from
> members.
>
> — The GDS Executive Committee

## Where the actions stand

- **The barriers survey.** Members are asked, anonymously, what stands in their way where
  physics and data science meet. While a survey is open, it is linked on this page.
- **The ombudsman.** Anyone can raise a concern with the ombudsman in confidence, and may
  stay anonymous. How to reach the ombudsman is at the end of this page.
- **Webinars and speakers.** The [webinar series](/webinars/) takes
  [suggestions for topics and speakers](/webinars/nominate/) from every member.

Everyone taking part in GDS activities is asked to follow the
[Code of Conduct](/about/code-of-conduct/).
"""

CODE_OF_CONDUCT = """This code applies to everyone who takes part in the activities of the
Topical Group on Data Science: sessions and meetings the group sponsors, webinars, the
newsletter, committees, the COVID Research and Resources Group and this portal. At APS
meetings, the APS code of conduct for meetings applies as well.

## What we expect

- Treat everyone with respect, whatever their career stage, background, identity or views.
- Criticise ideas and methods, not people; disagree openly and courteously.
- Give others room to speak, and credit their work and their ideas.
- Keep what was said in confidence to yourself, and share nobody's personal details
  without their consent.

## What is not acceptable

- Harassment, intimidation or discrimination of any kind, in person or online.
- Unwelcome sexual attention, and jokes or remarks that put people down for who they are.
- Disrupting talks, webinars or discussions, and recording or photographing people who
  asked not to be.
- Retaliating against anyone who raises a concern or helps someone else to.

## If something happens

Tell the ombudsman: only the ombudsman reads what you write, and you may stay anonymous.
You may also write to the executive committee at <gds@aps.org>.

## What the executive committee may do

Depending on what happened, the executive committee may ask a person to stop, remove them
from an event, a committee or a mailing list, or withdraw an invitation to speak. Whoever
raised the concern is told what was done, as far as others' privacy allows.
"""


def update_pages(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    domain = urlsplit(settings.SITE_URL).netloc or "example.com"
    site, _ = Site.objects.get_or_create(
        id=settings.SITE_ID, defaults={"domain": domain, "name": "GDS Portal"}
    )
    diversity = FlatPage.objects.filter(url="/about/diversity/").first()
    if diversity is None:
        diversity = FlatPage.objects.create(
            url="/about/diversity/", title="Statement on Diversity", content=DIVERSITY
        )
        diversity.sites.add(site)
    elif diversity.content.strip().startswith(OLD_OPENING) and OLD_NOTE in diversity.content:
        diversity.content = DIVERSITY
        diversity.save()
    elif OLD_NOTE in diversity.content:
        diversity.content = diversity.content.replace(OLD_NOTE, "").strip() + "\n"
        diversity.save()
    conduct, created = FlatPage.objects.get_or_create(
        url="/about/code-of-conduct/",
        defaults={"title": "Code of Conduct", "content": CODE_OF_CONDUCT},
    )
    if created:
        conduct.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [("gds_portal", "0005_outbox_claim_token")]
    operations = [migrations.RunPython(update_pages, migrations.RunPython.noop)]
