"""Keep what is derived from webinars fresh: search documents."""

from django.db.models import Q


def person_saved(sender, instance, created, **kwargs):
    if created:
        return
    from webinars.models import Webinar
    from webinars.services import webinar_reindex

    webinars = Webinar.objects.filter(Q(speakers=instance) | Q(host=instance))
    webinar_reindex(webinar_ids=list(set(webinars.values_list("pk", flat=True))))


def topic_saved(sender, instance, created, **kwargs):
    if created:
        return
    from webinars.services import webinar_reindex

    webinar_reindex(webinar_ids=list(instance.webinars.values_list("pk", flat=True)))
